/** The connect page's screens. Each is a plain form: works without JavaScript, labelled, in tab order. */
import type { Mode } from '../model/index.js';
import { isExtensionScope, scopeLabel } from '../oauth/scopes.js';
import type { ConnectField, Provider } from '../providers/types.js';
import type { ClientRecord } from '../store/clients.js';
import { type Html, html, listOf } from './html.js';
import { layout } from './layout.js';

export interface FormContext {
  client: ClientRecord;
  nonce: string;
  sessionId: string;
  csrf: string;
  /** Fields that carry a flow nothing has been stored for yet (the request, the chosen provider). */
  carried: Array<[string, string]>;
  /** Total steps shown: 3 with the picker, 2 without. */
  withPicker: boolean;
}

/**
 * A form's error: `message` for the person, `code` for the app's developer (in the markup only), `field` the one
 * input at fault when there is one.
 */
export interface FormError {
  message: string;
  code: string;
  field?: string;
}

function hidden(ctx: FormContext): Html {
  return html`<input type="hidden" name="session" value="${ctx.sessionId}"><input type="hidden" name="csrf" value="${ctx.csrf}">${ctx.carried.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;
}

/**
 * The counter counts what every user goes through: choose (when the picker is shown), sign in, allow. A one-time
 * code, when the provider asks for one, is part of signing in, so the count never jumps.
 */
function step(ctx: FormContext, n: 1 | 2 | 3, label: string) {
  return { index: ctx.withPicker ? n : n - 1, total: ctx.withPicker ? 3 : 2, label };
}

/** Focused when the page loads, so keyboard and screen-reader users land on what went wrong. */
function alert(error: FormError | undefined): Html {
  return error
    ? html`<div class="alert" role="alert" id="form-error" tabindex="-1" autofocus data-error-code="${error.code}">${error.message}</div>`
    : html``;
}

function monogramOf(name: string): string {
  return name.trim().charAt(0).toUpperCase() || 'A';
}

function providerLogo(p: Provider): Html {
  return p.logo
    ? html`<img src="${p.logo}" alt="" width="32" height="32" class="plogo" data-monogram="${monogramOf(p.displayName)}">`
    : html`<span class="plogo monogram" aria-hidden="true">${monogramOf(p.displayName)}</span>`;
}

/**
 * Providers whose form takes keys, client credentials or tokens rather than a person's login: only a `password`
 * provider is "signed in to".
 */
function takesKey(provider: Provider, mode: Mode): boolean {
  return provider.auth[mode] !== 'password';
}

/** "API key", "client ID": a label as it reads inside a sentence (acronyms keep their capitals). */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/** What the user hands over, in words: "sign-in details" for a login, the secret fields' own names for a key. */
function secretNoun(provider: Provider, mode: Mode): string {
  if (!takesKey(provider, mode)) return 'sign-in details';
  const secrets = (provider.fields[mode] ?? []).filter((f) => f.secret).map((f) => inSentence(f.label));
  return secrets.length ? listOf(secrets) : 'credentials';
}

const CREDENTIALS_NOTE = html`<p>Affix encrypts what you enter here and uses it only for the access you allow.</p>`;

export function pickerPage(
  ctx: FormContext,
  o: { providers: Provider[]; query: string; searchParams: Array<[string, string]> },
): string {
  const items = o.providers.map(
    (p) => html`<li data-name="${`${p.displayName} ${p.id} ${p.tags.join(' ')}`.toLowerCase()}">
<button type="submit" name="provider" value="${p.id}" class="provider">${providerLogo(p)}<span class="pname">${p.displayName}</span><span class="ptags">${p.tags.join(' · ')}</span></button></li>`,
  );
  const body = html`<h1 id="page-title">Select your HR or payroll system</h1>
<p class="lead">${ctx.client.name} will connect to it through Affix.</p>
<form method="get" action="/connect" class="search" role="search">
${o.searchParams.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<label for="q">Search providers</label>
<div class="row"><input id="q" name="q" type="search" value="${o.query}" maxlength="100" autocomplete="off" data-filter="provider-list"><button type="submit" class="secondary">Search</button></div>
</form>
<form method="post" action="/connect/provider">
${hidden(ctx)}
${
  items.length
    ? html`<ul class="providers" id="provider-list">${items}</ul>`
    : html`<p class="empty" role="status">No provider matches “${o.query}”.</p>`
}
<p class="empty" role="status" id="no-match" hidden>No provider matches your search.</p>
<div class="actions"><button type="submit" name="action" value="cancel" class="link">Cancel and go back to ${ctx.client.name}</button></div>
</form>`;
  return layout({
    title: 'Select your provider',
    client: ctx.client,
    nonce: ctx.nonce,
    step: step(ctx, 1, 'select provider'),
    body,
    script: true,
  });
}

const SANDBOX_VALUES: Array<[string, string]> = [
  ['any username, any password', 'connects'],
  ['password wrong-password', 'incorrect_username_or_password'],
  ['username containing +mfa', 'asks for a code; 123456 connects'],
  ['username containing +captcha', 'captcha_challenge'],
  ['username containing +noaccounts', 'no_valid_accounts'],
  ['username containing +noperm', 'insufficient_permission'],
  ['username containing +setup', 'additional_account_setup_required'],
];

function fieldInput(f: ConnectField, error: FormError | undefined, value: string | undefined): Html {
  const id = `f-${f.name}`;
  if (f.kind === 'checkbox') {
    return html`<div class="field checkbox">
<label for="${id}"><input id="${id}" name="${f.name}" type="checkbox" value="on" ${value === 'on' ? html`checked` : ''}
 ${f.help ? html`aria-describedby="${id}-help"` : ''}> ${f.label}</label>
${f.help ? html`<p class="help" id="${id}-help">${f.help}</p>` : ''}
</div>`;
  }
  const invalid = error?.field === f.name;
  const describedBy = [f.help ? `${id}-help` : '', invalid ? 'form-error' : ''].filter(Boolean).join(' ');
  const autocomplete = f.secret ? 'current-password' : /user|email|login/i.test(f.name) ? 'username' : 'off';
  return html`<div class="field">
<label for="${id}">${f.label}${f.required ? '' : html` <span class="optional">(optional)</span>`}</label>
<input id="${id}" name="${f.name}" type="${f.secret ? 'password' : 'text'}" ${f.required ? html`required` : ''}
 autocomplete="${autocomplete}" spellcheck="false" autocapitalize="off"
 ${f.pattern ? html`pattern="${f.pattern}"` : ''} ${f.placeholder ? html`placeholder="${f.placeholder}"` : ''}
 ${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${invalid ? html`aria-invalid="true"` : ''}
 ${!f.secret && value ? html`value="${value}"` : ''}>
${f.help ? html`<p class="help" id="${id}-help">${f.help}</p>` : ''}
</div>`;
}

export function credentialsPage(
  ctx: FormContext,
  o: {
    provider: Provider;
    mode: Mode;
    fields: ConnectField[];
    error?: FormError;
    values?: Record<string, string>;
    canGoBack: boolean;
  },
): string {
  const name = o.provider.displayName;
  const key = takesKey(o.provider, o.mode);
  const title = key ? `Connect ${name}` : `Sign in to ${name}`;
  const lead = key
    ? `Enter your ${name} ${listOf(o.fields.map((f) => inSentence(f.label)))}. ${ctx.client.name} never sees your ${secretNoun(o.provider, o.mode)}.`
    : `Use the account you sign in to ${name} with. ${ctx.client.name} never sees your password.`;
  const body = html`<h1 id="page-title">${title}</h1>
<p class="lead">${lead}</p>
${alert(o.error)}
<form method="post" action="/connect/credentials" novalidate>
${hidden(ctx)}
${o.fields.map((f) => fieldInput(f, o.error, o.values?.[f.name]))}
<div class="actions">
<button type="submit" name="action" value="submit" class="primary">Continue</button>
${o.canGoBack ? html`<button type="submit" name="action" value="back" class="secondary" formnovalidate>Choose another provider</button>` : ''}
<button type="submit" name="action" value="cancel" class="link" formnovalidate>Cancel</button>
</div>
</form>
${
  o.provider.id === 'sandbox'
    ? html`<details class="sandbox"><summary>Sandbox test values</summary>
<table><caption class="sr-only">What each sandbox value does</caption><thead><tr><th scope="col">Enter</th><th scope="col">Result</th></tr></thead><tbody>
${SANDBOX_VALUES.map(([k, v]) => html`<tr><td>${k}</td><td><code>${v}</code></td></tr>`)}
</tbody></table></details>`
    : ''
}`;
  return layout({
    title,
    client: ctx.client,
    nonce: ctx.nonce,
    step: step(ctx, 2, key ? 'connect' : 'sign in'),
    body,
    note: CREDENTIALS_NOTE,
  });
}

export function otpPage(ctx: FormContext, o: { provider: Provider; mode: Mode; error?: FormError }): string {
  const invalid = o.error?.field === 'otp';
  const body = html`<h1 id="page-title">Enter your verification code</h1>
<p class="lead">${o.provider.displayName} sent a one-time code to your phone or authenticator app.</p>
${alert(o.error)}
<form method="post" action="/connect/otp" novalidate>
${hidden(ctx)}
<div class="field">
<label for="otp">Verification code</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="12" ${invalid ? html`aria-invalid="true" aria-describedby="form-error"` : ''}>
</div>
<div class="actions">
<button type="submit" name="action" value="submit" class="primary">Verify</button>
<button type="submit" name="action" value="cancel" class="link" formnovalidate>Cancel</button>
</div>
</form>`;
  return layout({
    title: 'Verification code',
    client: ctx.client,
    nonce: ctx.nonce,
    step: step(ctx, 2, 'verify'),
    body,
    note: CREDENTIALS_NOTE,
  });
}

/** Scopes that let the client change data at the provider, not only read it. */
const WRITE_RESOURCES = new Set(['employee', 'passthrough']);

export function consentPage(
  ctx: FormContext,
  o: { provider: Provider; mode: Mode; scopes: string[] },
): string {
  const resourceOf = (scope: string) => scope.replace(/^\/2023-03-01\/(official|xhr)\//, '');
  const offered: ReadonlySet<string> = new Set(o.provider.resources[o.mode] ?? []);
  // Extension scopes (passthrough) are not resources a provider declares; the adapter decides when it is used.
  const available = (scope: string) => offered.has(resourceOf(scope)) || isExtensionScope(scope);
  const granted = o.scopes.filter(available);
  const notOffered = o.scopes.filter((s) => !available(s));
  const verb = granted.some((s) => WRITE_RESOURCES.has(resourceOf(s))) ? 'access' : 'read';
  const body = html`<h1 id="page-title">Allow ${ctx.client.name} to ${verb} your ${o.provider.displayName} data?</h1>
<p class="lead">${ctx.client.name} is asking to:</p>
<ul class="scopes">${granted.map((s) => html`<li><span aria-hidden="true">✓</span> ${scopeLabel(s)}</li>`)}</ul>
${
  notOffered.length
    ? html`<p class="fine">${o.provider.displayName} does not offer the rest of what ${ctx.client.name} asked for, so it gets nothing there: ${notOffered.map(scopeLabel).join('; ')}.</p>`
    : ''
}
<p class="fine">You can disconnect at any time; ${ctx.client.name} then loses access and Affix deletes your stored ${secretNoun(o.provider, o.mode)}.</p>
<form method="post" action="/connect/consent">
${hidden(ctx)}
<div class="actions">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>`;
  return layout({
    title: 'Allow access',
    client: ctx.client,
    nonce: ctx.nonce,
    step: step(ctx, 3, 'allow access'),
    body,
  });
}

/** `code` and `detail` are for the app's developer: in the markup (data attributes), never in the visible text. */
export function errorPage(o: {
  client: ClientRecord | null;
  nonce: string;
  title: string;
  message: string;
  code: string;
  detail?: string;
}): string {
  const body = html`<h1 id="page-title">${o.title}</h1>
<div class="alert" role="alert" data-error-code="${o.code}"${o.detail ? html` data-error-detail="${o.detail}"` : ''}>${o.message}</div>
<p class="lead">Go back to the app that sent you here and try again. If it keeps happening, contact that app’s support.</p>`;
  return layout({ title: o.title, client: o.client, nonce: o.nonce, body });
}

/** The last page of popup/iframe mode: posts the result to the window that opened the flow, then closes. */
export function webMessagePage(o: {
  client: ClientRecord;
  nonce: string;
  targetOrigin: string;
  message: Record<string, string>;
  ok: boolean;
}): string {
  const body = html`<h1 id="page-title">${o.ok ? 'You’re connected' : 'Connection cancelled'}</h1>
<p class="lead" role="status">You can close this window and return to ${o.client.name}.</p>
<div id="web-message" data-target-origin="${o.targetOrigin}" data-message="${JSON.stringify(o.message)}" hidden></div>
<script src="/connect/assets/web-message.js"></script>`;
  return layout({ title: o.ok ? 'Connected' : 'Cancelled', client: o.client, nonce: o.nonce, body });
}
