import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockMatchForm } from '../../src/model/block-match.js';

describe('blockMatchForm', () => {
  it('drops NUL, other controls, zero-width characters and U+FFFD, then trims', () => {
    for (const variant of ['pirate\u0000', '\u0000pirate', 'pi\u200Brate', '\uFEFFpirate', 'pirate\uFFFD', ' pirate\u0000 ', 'pirate\u0085', 'pirate\uD800']) {
      assert.equal(blockMatchForm(variant, false), 'pirate', JSON.stringify(variant));
    }
    assert.equal(blockMatchForm('Pirate', false), 'Pirate');
  });

  it('folds case for case-insensitive entries, ß and SS alike', () => {
    assert.equal(blockMatchForm('PIRATE\u0000', true), 'pirate');
    assert.equal(blockMatchForm('Straße', true), blockMatchForm('STRASSE', true));
  });
});
