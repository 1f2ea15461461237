/**
 * Writes docs/configuration.md and .env.example from the settings' schema (`npm run docs:config`);
 * test/config/configuration-docs.test.ts fails when the committed files differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configurationMarkdown, envExample } from '../src/config/settings-reference.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(path.join(root, 'docs', 'configuration.md'), configurationMarkdown());
writeFileSync(path.join(root, '.env.example'), envExample());
process.stdout.write('wrote docs/configuration.md and .env.example\n');
