/**
 * Reference tables that make the sandbox company look real: countries whose currency the contract knows, cities
 * with their regions, number formats, departments and job ladders. Patterns use faker's `replaceSymbols`
 * (`#` digit, `?` letter, `*` either).
 */
import type { Country, Currency } from '../../model/index.js';

export interface CountryInfo {
  code: Country;
  currency: Currency;
  demonym: string;
  /** [city, administrative area] */
  cities: readonly (readonly [string, string | null])[];
  postCode: string;
  phone: string;
  /** Personal tax id (SSN, NI number, Steuer-ID …). */
  personalTaxId: string;
  /** Company tax / VAT id. */
  companyTaxId: string;
  legalSuffix: string;
  /** Whether bank accounts there are IBANs (else a domestic account number). */
  iban: boolean;
  /** Annual salary factor from a USD base, in local currency (rounded later). */
  salaryFactor: number;
}

export const COUNTRY_INFO: Readonly<Record<string, CountryInfo>> = {
  US: {
    code: 'US',
    currency: 'usd',
    demonym: 'American',
    cities: [
      ['New York', 'NY'],
      ['San Francisco', 'CA'],
      ['Austin', 'TX'],
      ['Chicago', 'IL'],
      ['Seattle', 'WA'],
      ['Boston', 'MA'],
      ['Denver', 'CO'],
      ['Atlanta', 'GA'],
    ],
    postCode: '#####',
    phone: '+1 ### ### ####',
    personalTaxId: '###-##-####',
    companyTaxId: '##-#######',
    legalSuffix: 'Inc.',
    iban: false,
    salaryFactor: 1,
  },
  CA: {
    code: 'CA',
    currency: 'cad',
    demonym: 'Canadian',
    cities: [
      ['Toronto', 'ON'],
      ['Vancouver', 'BC'],
      ['Montreal', 'QC'],
      ['Calgary', 'AB'],
      ['Ottawa', 'ON'],
    ],
    postCode: '?#? #?#',
    phone: '+1 ### ### ####',
    personalTaxId: '### ### ###',
    companyTaxId: '#########RC0001',
    legalSuffix: 'Corp.',
    iban: false,
    salaryFactor: 1.2,
  },
  GB: {
    code: 'GB',
    currency: 'gbp',
    demonym: 'British',
    cities: [
      ['London', 'Greater London'],
      ['Manchester', 'Greater Manchester'],
      ['Edinburgh', 'Scotland'],
      ['Bristol', 'Bristol'],
      ['Leeds', 'West Yorkshire'],
      ['Birmingham', 'West Midlands'],
    ],
    postCode: '??# #??',
    phone: '+44 7### ######',
    personalTaxId: '??######?',
    companyTaxId: 'GB#########',
    legalSuffix: 'Ltd',
    iban: true,
    salaryFactor: 0.62,
  },
  IE: {
    code: 'IE',
    currency: 'eur',
    demonym: 'Irish',
    cities: [
      ['Dublin', 'Leinster'],
      ['Cork', 'Munster'],
      ['Galway', 'Connacht'],
      ['Limerick', 'Munster'],
    ],
    postCode: 'D## ?#?#',
    phone: '+353 8# ### ####',
    personalTaxId: '#######?',
    companyTaxId: 'IE#######?',
    legalSuffix: 'Limited',
    iban: true,
    salaryFactor: 0.72,
  },
  DE: {
    code: 'DE',
    currency: 'eur',
    demonym: 'German',
    cities: [
      ['Berlin', 'Berlin'],
      ['Munich', 'Bavaria'],
      ['Hamburg', 'Hamburg'],
      ['Cologne', 'North Rhine-Westphalia'],
      ['Frankfurt', 'Hesse'],
    ],
    postCode: '#####',
    phone: '+49 15# #######',
    personalTaxId: '###########',
    companyTaxId: 'DE#########',
    legalSuffix: 'GmbH',
    iban: true,
    salaryFactor: 0.68,
  },
  FR: {
    code: 'FR',
    currency: 'eur',
    demonym: 'French',
    cities: [
      ['Paris', 'Île-de-France'],
      ['Lyon', 'Auvergne-Rhône-Alpes'],
      ['Marseille', "Provence-Alpes-Côte d'Azur"],
      ['Toulouse', 'Occitanie'],
      ['Nantes', 'Pays de la Loire'],
    ],
    postCode: '#####',
    phone: '+33 6 ## ## ## ##',
    personalTaxId: '#############',
    companyTaxId: 'FR###########',
    legalSuffix: 'SAS',
    iban: true,
    salaryFactor: 0.6,
  },
  NL: {
    code: 'NL',
    currency: 'eur',
    demonym: 'Dutch',
    cities: [
      ['Amsterdam', 'North Holland'],
      ['Rotterdam', 'South Holland'],
      ['Utrecht', 'Utrecht'],
      ['Eindhoven', 'North Brabant'],
    ],
    postCode: '#### ??',
    phone: '+31 6 ########',
    personalTaxId: '#########',
    companyTaxId: 'NL#########B01',
    legalSuffix: 'B.V.',
    iban: true,
    salaryFactor: 0.66,
  },
  ES: {
    code: 'ES',
    currency: 'eur',
    demonym: 'Spanish',
    cities: [
      ['Madrid', 'Community of Madrid'],
      ['Barcelona', 'Catalonia'],
      ['Valencia', 'Valencian Community'],
      ['Seville', 'Andalusia'],
    ],
    postCode: '#####',
    phone: '+34 6## ### ###',
    personalTaxId: '########?',
    companyTaxId: 'ESB########',
    legalSuffix: 'S.L.',
    iban: true,
    salaryFactor: 0.48,
  },
  SE: {
    code: 'SE',
    currency: 'sek',
    demonym: 'Swedish',
    cities: [
      ['Stockholm', 'Stockholm County'],
      ['Gothenburg', 'Västra Götaland'],
      ['Malmö', 'Skåne'],
      ['Uppsala', 'Uppsala County'],
    ],
    postCode: '### ##',
    phone: '+46 7# ### ## ##',
    personalTaxId: '######-####',
    companyTaxId: 'SE############',
    legalSuffix: 'AB',
    iban: true,
    salaryFactor: 7.1,
  },
};

export const HOME_COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'SE', 'CA', 'IE', 'ES'] as const;

export function countryInfo(code: string): CountryInfo {
  const info = COUNTRY_INFO[code];
  if (!info) throw new Error(`no sandbox data for country ${code}`);
  return info;
}

export interface Department {
  name: string;
  /** Cost-centre code suffix. */
  code: string;
  head: string;
  teams: readonly string[];
  /** Job ladder, junior first. */
  titles: readonly string[];
  /** USD base salary of the ladder's first rung; each rung adds ~22%. */
  baseSalary: number;
}

/** In the order a growing company adds them: small sandboxes get the first few. */
export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Engineering',
    code: '200',
    head: 'VP of Engineering',
    teams: ['Platform', 'Payments', 'Mobile', 'Data', 'Infrastructure', 'Security'],
    titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager'],
    baseSalary: 105_000,
  },
  {
    name: 'Sales',
    code: '300',
    head: 'VP of Sales',
    teams: ['Enterprise', 'Mid-Market', 'SMB', 'Sales Development'],
    titles: [
      'Sales Development Representative',
      'Account Executive',
      'Senior Account Executive',
      'Sales Manager',
    ],
    baseSalary: 62_000,
  },
  {
    name: 'Operations',
    code: '400',
    head: 'Chief Operating Officer',
    teams: ['Logistics', 'Facilities', 'Procurement'],
    titles: ['Operations Associate', 'Operations Specialist', 'Operations Manager', 'Director of Operations'],
    baseSalary: 52_000,
  },
  {
    name: 'People',
    code: '500',
    head: 'Head of People',
    teams: ['Talent Acquisition', 'People Operations', 'Learning & Development'],
    titles: ['People Coordinator', 'HR Generalist', 'HR Business Partner', 'People Operations Manager'],
    baseSalary: 58_000,
  },
  {
    name: 'Finance',
    code: '600',
    head: 'Chief Financial Officer',
    teams: ['Accounting', 'Payroll', 'FP&A'],
    titles: ['Accountant', 'Senior Accountant', 'Financial Analyst', 'Finance Manager'],
    baseSalary: 70_000,
  },
  {
    name: 'Marketing',
    code: '700',
    head: 'VP of Marketing',
    teams: ['Brand', 'Growth', 'Content', 'Product Marketing'],
    titles: [
      'Marketing Coordinator',
      'Marketing Manager',
      'Senior Marketing Manager',
      'Director of Marketing',
    ],
    baseSalary: 64_000,
  },
  {
    name: 'Customer Success',
    code: '800',
    head: 'VP of Customer Success',
    teams: ['Support', 'Onboarding', 'Account Management'],
    titles: [
      'Support Specialist',
      'Customer Success Manager',
      'Senior Customer Success Manager',
      'Support Lead',
    ],
    baseSalary: 50_000,
  },
  {
    name: 'Product',
    code: '900',
    head: 'VP of Product',
    teams: ['Core Product', 'Design', 'Research'],
    titles: [
      'Associate Product Manager',
      'Product Manager',
      'Senior Product Manager',
      'Group Product Manager',
    ],
    baseSalary: 98_000,
  },
  {
    name: 'Legal',
    code: '950',
    head: 'General Counsel',
    teams: ['Commercial', 'Compliance'],
    titles: ['Paralegal', 'Legal Counsel', 'Senior Legal Counsel', 'Compliance Manager'],
    baseSalary: 80_000,
  },
];

export const COMPANY_WORDS = [
  'Labs',
  'Systems',
  'Analytics',
  'Logistics',
  'Health',
  'Robotics',
  'Foods',
  'Energy',
  'Software',
  'Networks',
  'Studios',
  'Dynamics',
] as const;

export const BANKS: Readonly<Record<string, readonly string[]>> = {
  US: ['Chase', 'Bank of America', 'Wells Fargo', 'Citibank'],
  CA: ['RBC Royal Bank', 'TD Canada Trust', 'Scotiabank'],
  GB: ['Barclays', 'HSBC UK', 'Lloyds Bank', 'Monzo'],
  IE: ['AIB', 'Bank of Ireland', 'PTSB'],
  DE: ['Deutsche Bank', 'Commerzbank', 'Sparkasse', 'N26'],
  FR: ['BNP Paribas', 'Société Générale', 'Crédit Agricole'],
  NL: ['ING', 'ABN AMRO', 'Rabobank'],
  ES: ['Santander', 'BBVA', 'CaixaBank'],
  SE: ['Swedbank', 'SEB', 'Handelsbanken', 'Nordea'],
};

export const T_SHIRT_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'] as const;
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'nl', 'sv'] as const;
