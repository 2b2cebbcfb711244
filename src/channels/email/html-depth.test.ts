import { describe, expect, it } from 'vitest';
import { htmlDeeperThan } from './html-depth.ts';

describe('htmlDeeperThan', () => {
  it('counts nested elements the way the HTML parser opens them', () => {
    expect(htmlDeeperThan('<div><div><div>x</div></div></div>', 3)).toBe(false);
    expect(htmlDeeperThan('<div><div><div><div>x', 3)).toBe(true);
    // closed siblings do not add up
    expect(htmlDeeperThan('<div>a</div>'.repeat(50), 3)).toBe(false);
    // an end tag closes down to its open element
    expect(htmlDeeperThan(`<div>${'<span>'.repeat(3)}</div>`.repeat(10), 4)).toBe(false);
  });

  it('leaves out void elements, elements their next sibling closes, comments and stray "<"', () => {
    expect(htmlDeeperThan('<br><img src=x><hr>'.repeat(100), 2)).toBe(false);
    expect(htmlDeeperThan('<p>one<p>two'.repeat(100), 1)).toBe(false);
    expect(htmlDeeperThan(`<ul>${'<li>a<li>b'.repeat(100)}</ul>`, 2)).toBe(false);
    expect(htmlDeeperThan(`<table>${'<tr><td>a<td>b'.repeat(100)}</table>`, 3)).toBe(false);
    expect(htmlDeeperThan(`<!-- ${'<div>'.repeat(10)} --> a < b`, 2)).toBe(false);
    expect(htmlDeeperThan('</div></span>', 0)).toBe(false);
  });

  it('counts elements a sibling closes only while it is the innermost one, as the parser does', () => {
    // li closes an open li, but not one with a p inside: <li><p><li><p>… nests two levels a round
    expect(htmlDeeperThan('<li><p>x'.repeat(600), 1000)).toBe(true);
    expect(htmlDeeperThan('<p>one<li>two<td>three'.repeat(100), 2)).toBe(true);
  });
});
