// Directions resolve per slide (id over number over notes), and notes directions never stay in the notes.
import { describe, expect, it } from 'vitest';
import { directionFor, notesDirection, slideKeyOf } from '../../src/model/directions.js';

describe('directionFor', () => {
  it('overlays the id entry on the number entry on the notes', () => {
    const d = { slides: { '3': { subject: 'by number', skip: true }, 'id:260': { subject: 'by id', variant: 2 } } };
    expect(directionFor(d, { number: 3, slideId: '260' }, { subject: 'notes', style: 'n' })).toEqual({
      subject: 'by id',
      skip: true,
      variant: 2,
      style: 'n',
    });
    expect(directionFor(d, { number: 4, slideId: '260' })).toEqual({ subject: 'by id', variant: 2 });
    expect(directionFor(undefined, { number: 1, slideId: '' })).toEqual({});
  });

  it('slideKeyOf writes ids, numbers only when the deck has none', () => {
    expect(slideKeyOf({ number: 3, slideId: '260' })).toBe('id:260');
    expect(slideKeyOf({ number: 3, slideId: '' })).toBe('3');
  });
});

describe('notesDirection', () => {
  it('takes `illustrate: skip` and `illustrate: <subject>` lines out of the notes', () => {
    expect(notesDirection('Say hello.\nillustrate: skip\nThen go.')).toEqual({ direction: { skip: true }, notes: 'Say hello.\nThen go.' });
    expect(notesDirection('  Illustrate : a lighthouse in a storm \nremember the date')).toEqual({
      direction: { subject: 'a lighthouse in a storm' },
      notes: 'remember the date',
    });
  });

  it('leaves notes without such a line untouched', () => {
    expect(notesDirection('We illustrate: no, mid-line words are notes')).toEqual({
      direction: {},
      notes: 'We illustrate: no, mid-line words are notes',
    });
  });
});
