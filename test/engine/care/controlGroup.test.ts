import { holdoutBucket, isHeldOut, ledgerHash } from '../../../nodes/engine/care/controlGroup';

describe('control group', () => {
	const ids = Array.from({ length: 20000 }, (_, i) => `cust-${i}`);

	it('is deterministic and lies in [0, 1)', () => {
		for (const id of ids.slice(0, 100)) {
			const b = holdoutBucket(id, 'spring');
			expect(b).toBe(holdoutBucket(id, 'spring'));
			expect(b).toBeGreaterThanOrEqual(0);
			expect(b).toBeLessThan(1);
		}
	});

	it('holds out the configured share (10 % of 20,000 within ±3 standard errors)', () => {
		const held = ids.filter((id) => isHeldOut(id, 'spring', 0.1)).length;
		// sd = sqrt(20000 · 0.1 · 0.9) = 42.4
		expect(Math.abs(held - 2000)).toBeLessThan(128);
	});

	it('a larger share keeps everyone already held out (nested holdouts)', () => {
		for (const id of ids.slice(0, 2000)) if (isHeldOut(id, 'spring', 0.05)) expect(isHeldOut(id, 'spring', 0.2)).toBe(true);
	});

	it('another campaign key reshuffles; 0 and 1 are none and all', () => {
		const a = ids.filter((id) => isHeldOut(id, 'spring', 0.1));
		const b = new Set(ids.filter((id) => isHeldOut(id, 'autumn', 0.1)));
		const overlap = a.filter((id) => b.has(id)).length;
		expect(overlap).toBeLessThan(a.length * 0.2); // independent: about 10 % overlap
		expect(ids.some((id) => isHeldOut(id, 'x', 0))).toBe(false);
		expect(ids.every((id) => isHeldOut(id, 'x', 1))).toBe(true);
	});

	it('ledger hashes never contain the raw id', () => {
		const h = ledgerHash('customer', '13800138000');
		expect(h).toMatch(/^[0-9a-f]{32}$/);
		expect(h).not.toContain('13800138000');
	});
});
