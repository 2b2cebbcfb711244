import { expect, it } from 'vitest';
import { compactIndentation } from './views.ts';

it('drops template indentation and empty lines but keeps preformatted text and line breaks', () => {
  const source = [
    '<ul>',
    '    <li>{{a}}</li>',
    '',
    '\t\t<li>two',
    '      words</li>',
    '  <pre class="x">line one',
    '    indented line</pre>',
    '  <textarea name="t">',
    '  kept  </textarea>',
    '</ul>',
  ].join('\n');
  expect(compactIndentation(source)).toBe(
    ['<ul>', '<li>{{a}}</li>', '<li>two', 'words</li>', '<pre class="x">line one', '    indented line</pre>', '<textarea name="t">', '  kept  </textarea>', '</ul>'].join('\n'),
  );
});
