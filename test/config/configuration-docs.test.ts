import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS } from '../../src/config/config.js';
import { configurationMarkdown, envExample, sectionedKeys, settingDescription } from '../../src/config/settings-reference.js';
import { REPO_ROOT } from '../repo-root.js';

describe('the settings reference', () => {
  it('gives every setting a meaning in the schema', () => {
    for (const key of CONFIG_KEYS) assert.ok(settingDescription(key).length > 10, `${key} has a description`);
  });

  it('lists every setting in exactly one section', () => {
    const listed = sectionedKeys();
    assert.deepEqual([...listed].sort(), [...CONFIG_KEYS].sort());
    assert.equal(new Set(listed).size, listed.length, 'no setting listed twice');
  });

  it('is what docs/configuration.md and .env.example hold (run `npm run docs:config` after changing a setting)', () => {
    assert.equal(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8'), configurationMarkdown());
    assert.equal(fs.readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8'), envExample());
  });
});
