// Runs before every test file: n8n-core's InstanceSettings writes an encryption-key file under
// N8N_USER_FOLDER on first use; a fresh folder and a fixed key keep runs independent of the machine.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_USER_FOLDER_FOR_TESTS) {
	process.env.N8N_USER_FOLDER_FOR_TESTS = mkdtempSync(join(tmpdir(), 'n8n-retention-test-'));
}
process.env.N8N_USER_FOLDER = process.env.N8N_USER_FOLDER_FOR_TESTS;
process.env.N8N_ENCRYPTION_KEY = 'n8n-retention-test-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// n8n's logger would print every expected node error of the bad-input tests.
process.env.N8N_LOG_LEVEL = 'silent';
