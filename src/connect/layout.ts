/**
 * The page frame: the client's name, logo and accent colour; a step indicator; no external assets of ours (the
 * stylesheet and the optional enhancement script are served by us, same origin). Works without JavaScript.
 */
import type { ClientRecord } from '../store/clients.js';
import { type Html, html, textOn } from './html.js';

export const DEFAULT_ACCENT = '#4338ca';

export interface LayoutOptions {
  title: string;
  client: ClientRecord | null;
  nonce: string;
  step?: { index: number; total: number; label: string };
  body: Html;
  /** The footer's small print; pages where nothing is typed in have none. */
  note?: Html;
  script?: boolean;
}

export function layout(o: LayoutOptions): string {
  const accent = o.client?.accentColor ?? DEFAULT_ACCENT;
  const name = o.client?.name ?? 'Affix';
  const monogram = name.trim().charAt(0).toUpperCase() || 'A';
  // A logo that cannot be loaded shows the monogram instead (CSS on the broken image, so no script is needed).
  const logo = o.client?.logoUrl
    ? html`<img class="logo" src="${o.client.logoUrl}" alt="" width="40" height="40" data-monogram="${monogram}">`
    : html`<span class="logo monogram" aria-hidden="true">${monogram}</span>`;
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title} · ${name}</title>
<link rel="stylesheet" href="/connect/assets/connect.css">
<style nonce="${o.nonce}">:root{--accent:${accent};--on-accent:${textOn(accent)}}</style>
${o.script ? html`<script src="/connect/assets/connect-page.js" defer></script>` : ''}
</head>
<body>
<main class="card" aria-labelledby="page-title">
<header class="brand">
${logo}
<div>
<p class="app-name">${name}</p>
${o.client ? html`<p class="via">connects with <strong>Affix</strong></p>` : ''}
</div>
${o.step ? html`<p class="steps" aria-label="Step ${o.step.index} of ${o.step.total}: ${o.step.label}">Step ${o.step.index} of ${o.step.total}</p>` : ''}
</header>
${o.body}
${o.note ? html`<footer class="fine">${o.note}</footer>` : ''}
</main>
</body>
</html>
`;
  return doc.__html;
}
