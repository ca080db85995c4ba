/**
 * A provider's logo as a plain monogram (letters on a rounded square), as a `data:` URL: no external asset, as the
 * connect page is also served offline and under a strict Content-Security-Policy.
 */
export function monogramLogo(letters: string, background: string): string {
  // Two letters need a smaller face to fit the 64-unit square.
  const [size, baseline] = letters.length > 1 ? [26, 42] : [34, 44];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${background}"/>` +
    `<text x="32" y="${baseline}" font-family="Helvetica,Arial,sans-serif" font-size="${size}" font-weight="700" ` +
    `text-anchor="middle" fill="#fff">${letters}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
