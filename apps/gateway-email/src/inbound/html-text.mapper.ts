const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  egrave: 'è',
  eacute: 'é',
  agrave: 'à',
  ograve: 'ò',
  ugrave: 'ù',
  igrave: 'ì',
  euro: '€',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/**
 * HTML mail → plain text an agent can read safely: no markup, no scripts or styles, no hidden
 * blocks; links become "text (url)"; blockquotes become "> " lines so the quote stripper can
 * remove them. Pure; never renders anything.
 */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|title|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(
      /<(\w+)[^>]*\bstyle\s*=\s*["'][^"']*display\s*:\s*none[^"']*["'][^>]*>[\s\S]*?<\/\1\s*>/gi,
      '',
    )
    .replace(
      /<a\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a\s*>/gi,
      (_m, href: string, inner: string) => {
        const label = inner.replace(/<[^>]*>/g, '').trim();
        return /^https?:/i.test(href) && label && label !== href
          ? `${label} (${href})`
          : label || href;
      },
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|h[1-6]|tr|table|ul|ol|section|article|header|footer)\s*>/gi, '\n')
    .replace(/<(p|div|h[1-6]|tr|table|ul|ol|section|article)\b[^>]*>/gi, '\n');
  // Blockquotes, innermost first, as "> " quoted lines.
  for (let i = 0; i < 10 && /<blockquote\b/i.test(s); i++) {
    s = s.replace(
      /<blockquote\b[^>]*>((?:(?!<blockquote\b)[\s\S])*?)<\/blockquote\s*>/gi,
      (_m, inner: string) =>
        '\n' +
        inner
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n') +
        '\n',
    );
  }
  s = decodeEntities(s.replace(/<[^>]*>/g, ''));
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
