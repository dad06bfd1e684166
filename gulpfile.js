// Copies node and credential icons (and codex JSON) next to the compiled code in dist/,
// which `tsc` does not do. Run by `npm run build` after `tsc`.
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}', 'icons/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
