import { htmlToText } from './html-text.mapper';

describe('htmlToText', () => {
  it('drops scripts, styles, head and hidden blocks and keeps no markup', () => {
    const html =
      '<html><head><title>t</title><style>p{color:red}</style></head><body>' +
      '<script>alert(1)</script><p>Ciao,</p><div style="display:none">tracking</div>' +
      '<p>la mia <b>carta</b> &egrave; bloccata&nbsp;&amp; non funziona</p><img src="x" onerror="alert(2)"></body></html>';
    const text = htmlToText(html);
    expect(text).toBe('Ciao,\n\nla mia carta è bloccata & non funziona');
    expect(text).not.toMatch(/[<>]|alert|tracking|color/);
  });

  it('turns line breaks, lists and links into text', () => {
    expect(
      htmlToText(
        'a<br>b<ul><li>one</li><li>two</li></ul><a href="https://bank.example/x">here</a>',
      ),
    ).toBe('a\nb\n\n- one\n- two\nhere (https://bank.example/x)');
  });

  it('turns blockquotes into "> " lines, so quoted history can be stripped', () => {
    expect(htmlToText('<p>No</p><blockquote><p>Was it you?</p></blockquote>')).toMatch(
      /^No\n+> *\n?> Was it you\?/,
    );
  });

  it('decodes numeric entities and refuses invalid code points', () => {
    expect(htmlToText('&#8364; &#x41; &#xD800;')).toBe('€ A');
  });
});
