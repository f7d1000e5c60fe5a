import { expect } from 'chai';
import { fillPlaceholders } from '../render/placeholders';

describe('placeholders in our own texts', () => {
  it('fills every occurrence of known names', () => {
    expect(fillPlaceholders('{a} and {b}, {a} again', { a: 'x', b: 'y' })).to.equal('x and y, x again');
  });

  it('leaves unknown placeholders visible and never reads inherited properties', () => {
    expect(fillPlaceholders('call {emergncy} now', { emergency: '112' })).to.equal('call {emergncy} now');
    expect(fillPlaceholders('{constructor} {toString}', {})).to.equal('{constructor} {toString}');
  });

  it('does not interpret replacement patterns in values', () => {
    expect(fillPlaceholders('see {x}', { x: '$& $1 $$' })).to.equal('see $& $1 $$');
  });
});
