/**
 * Personio v1 wire shapes, as the published spec (personio-personnel-data-api-oa3.yaml) describes them. Only what the
 * adapter reads is typed; everything is optional-ish because the spec marks almost nothing `required` and a projection
 * (`attributes[]`) leaves attributes out.
 */

/** `TypeEnum` in the spec: how an attribute's value is to be read. */
export type PersonioAttributeType =
  | 'standard'
  | 'date'
  | 'integer'
  | 'decimal'
  | 'list'
  | 'link'
  | 'tags'
  | 'multiline';

/** Every employee attribute is wrapped like this (`{label, value, type, universal_id}`). */
export interface PersonioAttribute<V = unknown> {
  label: string;
  value: V;
  type: PersonioAttributeType;
  universal_id: string | null;
  /** Only on money attributes (`fix_salary`, `hourly_salary`). */
  currency?: string;
}

/** `{type: 'Office', attributes: {id, name}}` and friends. */
export interface PersonioRef<T extends string = string> {
  type: T;
  attributes: { id: number; name: string; [k: string]: unknown };
}

/** ShortEmployee: the supervisor of an employee and the owner of a time-off. */
export interface PersonioShortEmployee {
  type: 'Employee';
  attributes: {
    id: PersonioAttribute<number>;
    first_name?: PersonioAttribute<string | null>;
    last_name?: PersonioAttribute<string | null>;
    email?: PersonioAttribute<string | null>;
  };
}

export interface PersonioHolidayCalendar {
  type: 'HolidayCalendar';
  attributes: { id: number; name: string; country?: string | null; state?: string | null };
}

export interface PersonioEntitlement {
  type: 'TimeOffType';
  attributes: { id: number; name: string; category?: string | null; entitlement: number };
}

/** The `attributes` object of an employee; dynamic (custom) fields appear as `dynamic_<n>`. */
export interface PersonioEmployeeAttributes {
  id: PersonioAttribute<number>;
  first_name?: PersonioAttribute<string | null>;
  last_name?: PersonioAttribute<string | null>;
  preferred_name?: PersonioAttribute<string | null>;
  email?: PersonioAttribute<string | null>;
  gender?: PersonioAttribute<string | null>;
  status?: PersonioAttribute<string | null>;
  position?: PersonioAttribute<string | null>;
  supervisor?: PersonioAttribute<PersonioShortEmployee | null>;
  employment_type?: PersonioAttribute<string | null>;
  weekly_working_hours?: PersonioAttribute<string | number | null>;
  hire_date?: PersonioAttribute<string | null>;
  contract_end_date?: PersonioAttribute<string | null>;
  termination_date?: PersonioAttribute<string | null>;
  created_at?: PersonioAttribute<string | null>;
  last_modified_at?: PersonioAttribute<string | null>;
  subcompany?: PersonioAttribute<PersonioRef<'Subcompany'> | null>;
  office?: PersonioAttribute<PersonioRef<'Office'> | null>;
  department?: PersonioAttribute<PersonioRef<'Department'> | null>;
  team?: PersonioAttribute<PersonioRef<'Team'> | null>;
  cost_centers?: PersonioAttribute<Array<PersonioRef<'CostCenter'>> | null>;
  holiday_calendar?: PersonioAttribute<PersonioHolidayCalendar | null>;
  absence_entitlement?: PersonioAttribute<PersonioEntitlement[] | null>;
  fix_salary?: PersonioAttribute<number | string | null>;
  fix_salary_interval?: PersonioAttribute<string | null>;
  hourly_salary?: PersonioAttribute<number | string | null>;
  profile_picture?: PersonioAttribute<string | null>;
  [key: string]: PersonioAttribute | undefined;
}

export interface PersonioEmployee {
  type: 'Employee';
  attributes: PersonioEmployeeAttributes;
}

/** Metadata of the paginated lists (employees, attendances, time-offs). */
export interface PersonioPageMetadata {
  total_elements: number;
  current_page: number;
  total_pages: number;
}

export interface PersonioList<T> {
  success: boolean;
  metadata?: PersonioPageMetadata;
  offset?: number;
  limit?: number;
  data: T[];
}

export interface PersonioAttendance {
  id: number;
  type: 'AttendancePeriod';
  attributes: {
    employee: number;
    date: string;
    start_time: string;
    end_time: string | null;
    break?: number | null;
    comment?: string | null;
    updated_at?: string | null;
    status?: 'confirmed' | 'pending' | 'rejected';
    is_holiday?: boolean;
    is_on_time_off?: boolean;
    project?: { id: number; type: 'Project'; attributes: { name: string; active: boolean } } | null;
  };
}

export interface PersonioTimeOff {
  type: 'TimeOffPeriod';
  attributes: {
    id: number;
    status?: string | null;
    start_date?: string | null;
    end_date?: string | null;
    days_count?: number | null;
    half_day_start?: boolean;
    half_day_end?: boolean;
    time_off_type?: {
      type: 'TimeOffType';
      attributes: { id: number; name: string; category?: string | null };
    };
    employee: PersonioShortEmployee;
    certificate?: { status?: string };
    created_at?: string | null;
    created_by?: string | null;
    updated_at?: string | null;
  };
}

/** One row of `GET /company/employees/{id}/absences/balance`. */
export interface PersonioBalanceRow {
  id: number;
  name: string;
  category?: string | null;
  balance: number;
  available_balance?: number;
}

export interface PersonioError {
  success: false;
  error: { code: number; message: string };
}
