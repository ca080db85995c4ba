/**
 * What the HTTP login strategy reads from a login page: the form (its action and method) and every input with a
 * value, hidden ones included (CSRF tokens, login challenges, view state), so the post carries what the page would.
 * A login page is the provider's own, small and regular markup; this reads only `<form>` and `<input>` tags.
 */

export interface LoginForm {
  action: string;
  method: 'GET' | 'POST';
  /** Every named input's value as the page sets it (hidden fields included). */
  fields: Record<string, string>;
  /** Names of the password inputs. */
  passwordFields: string[];
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(
    /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g,
  )) {
    const name = m[1]?.toLowerCase();
    if (name) out[name] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** The forms of `html`, in order; `pageUrl` resolves relative actions. */
export function parseForms(html: string, pageUrl: string): LoginForm[] {
  const forms: LoginForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1] ?? '');
    const form: LoginForm = {
      action: new URL(attrs.action || pageUrl, pageUrl).toString(),
      method: (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields: {},
      passwordFields: [],
    };
    for (const input of (m[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1] ?? '');
      if (!a.name) continue;
      const type = (a.type ?? 'text').toLowerCase();
      if (type === 'password') form.passwordFields.push(a.name);
      if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
      if (type === 'submit' || type === 'button' || type === 'image') continue;
      form.fields[a.name] = a.value ?? '';
    }
    forms.push(form);
  }
  return forms;
}

/** True when `html` holds a form with a password input: a login page served where data was expected. */
export function hasLoginForm(html: string): boolean {
  return /<input\b[^>]*type\s*=\s*["']?password/i.test(html);
}
