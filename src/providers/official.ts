/**
 * An official-API provider's declaration, written once: the one mode (`official`), its auth kind, connect-form
 * fields and resources, and the monogram logo. Each provider's provider.ts calls `officialProvider` with its own
 * values; what a provider means by a field (pattern, help) stays in its own file.
 */
import type { ProviderId, Resource } from '../model/index.js';
import { monogramLogo } from './logo.js';
import type { AuthKind, ConnectField, Provider, ProviderAdapter, ProviderContext } from './types.js';

export interface OfficialProviderDeclaration {
  id: ProviderId;
  displayName: string;
  /** The logo's letters and background colour (`monogramLogo`). */
  monogram: readonly [letters: string, background: string];
  tags: string[];
  auth: AuthKind;
  /** The connect form, in the order shown. */
  fields: ConnectField[];
  resources: readonly Resource[];
  defaultBaseUrl: string;
  limits: string;
  connect(ctx: ProviderContext): ProviderAdapter;
}

export function officialProvider(d: OfficialProviderDeclaration): Provider {
  return {
    id: d.id,
    displayName: d.displayName,
    logo: monogramLogo(...d.monogram),
    tags: d.tags,
    modes: ['official'],
    auth: { official: d.auth },
    fields: { official: d.fields },
    resources: { official: d.resources },
    defaultBaseUrl: d.defaultBaseUrl,
    limits: d.limits,
    connect: d.connect,
  };
}

type FieldDetails = Omit<ConnectField, 'name' | 'label' | 'secret' | 'required'> & { required?: boolean };

/** A secret on the connect form (a token, a password): sealed, never shown again. Required unless said. */
export function secretField(name: string, label: string, details: FieldDetails): ConnectField {
  return { name, label, secret: true, required: true, ...details };
}

/** A non-secret value on the connect form (an id, a domain). Required unless said. */
export function plainField(name: string, label: string, details: FieldDetails): ConnectField {
  return { name, label, secret: false, required: true, ...details };
}
