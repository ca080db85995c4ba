/** The provider ids of the contract's `ProviderResponse` enum; names are lower-case display strings. */
import { type Static, Type } from '@sinclair/typebox';
import { ModeSchema, StringEnum } from './common.js';

export const PROVIDER_IDS = [
  'sandbox',
  'bamboohr',
  'breathe',
  'cezanne',
  'charliehr',
  'deel',
  'deputy',
  'hailyhr',
  'hibob',
  'humaans',
  'iris cascade',
  'moorepay',
  'nmbrs',
  'parolla.ie',
  'payfit',
  'personio.de',
  'planday',
  'sagehr',
  'saplinghr',
  'staffology',
  'xero uk',
  'brain payroll',
  'brightpay connect',
  'buk',
  'employment hero',
  'epe',
  'factorialhr',
  'fourthhr',
  'greythr',
  'gusto',
  'itrent',
  'justworks',
  'keypay',
  'kontek.se',
  'onpay',
  'oysterhr',
  'paycircle',
  'pento.io',
  'peoplehr',
  'quickbooks online',
  'remote.com',
  'runa',
  'sageone',
  'shape payroll',
  'simplepay.ie',
  'talenox',
  'talentoz',
  'unity',
  'zoho',
  'zucchetti',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const ProviderIdSchema = StringEnum(PROVIDER_IDS);

export const ProvidersResponseSchema = Type.Array(
  Type.Object({ mode: ModeSchema, providers: Type.Array(ProviderIdSchema) }),
  { title: 'ProvidersResponse' },
);
export type ProvidersResponse = Static<typeof ProvidersResponseSchema>;
