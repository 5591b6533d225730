/**
 * The zod schemas of every entity, API body and configuration of Yimen. Request bodies are strict (an
 * unknown field is INVALID_REQUEST); the OpenAPI document is generated from these same schemas.
 */
import { z } from 'zod';

// ---------------------------------------------------------------- primitives
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A line of text a person typed: trimmed length min…max, no control characters. */
export const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL.test(s), { message: 'must not contain control characters' });
/** Opaque ids: short, printable, no spaces. */
export const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'not an id');
export const RequestId = z.string().regex(/^[A-Za-z0-9_.:@/+=-]{1,128}$/, 'requestId: 1–128 letters, digits or -_.:@/+=');
/** ISO 8601 with offset, e.g. 2026-11-30T09:05:00.000+08:00 */
export const IsoTime = z.string();
export const HhMm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day HH:MM');
export const BusinessDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

// ---------------------------------------------------------------- enums
export const ROLES = ['admin', 'manager', 'clerk'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const DEVICE_KINDS = ['kiosk', 'counter-display', 'hall-display', 'evaluation-pad', 'call-keypad'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;
/** Device kinds that belong to one counter (counterId required). */
export const COUNTER_BOUND_KINDS: readonly DeviceKind[] = ['counter-display', 'evaluation-pad', 'call-keypad'];

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const PRIORITIES = ['none', 'elderly', 'disabled', 'military', 'appointment'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const COUNTER_STATES = ['open', 'paused', 'closed'] as const;
export const CounterState = z.enum(COUNTER_STATES);
export type CounterState = z.infer<typeof CounterState>;

export const COUNTER_KINDS = ['comprehensive', 'dedicated', 'auxiliary'] as const;
export const CounterKind = z.enum(COUNTER_KINDS);
export type CounterKind = z.infer<typeof CounterKind>;

/** Routing policies a counter can be set to; each is one pure function in the server's domain core. */
export const ROUTING_POLICIES = ['effective-time', 'service-order', 'strict-priority', 'fifo'] as const;
export const RoutingPolicyName = z.enum(ROUTING_POLICIES);
export type RoutingPolicyName = z.infer<typeof RoutingPolicyName>;

export const EVALUATION_LEVELS = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'] as const;
export const EvaluationLevel = z.enum(EVALUATION_LEVELS);
export type EvaluationLevel = z.infer<typeof EvaluationLevel>;
export const EVALUATION_LEVEL_LABELS: Record<EvaluationLevel, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basic: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};
/** The reasons a pad offers for a low rating; other systems may send their own words. */
export const EVALUATION_REASONS = ['态度不好', '效率低', '一次性告知不到位', '多次跑腿', '其他'] as const;

// ---------------------------------------------------------------- service guides (办事指南, the elements of GB/T 39046)
export const MATERIAL_FORMS = ['paper', 'electronic', 'paper-or-electronic'] as const;
export const MaterialForm = z.enum(MATERIAL_FORMS);
export const MATERIAL_FORM_LABELS: Record<z.infer<typeof MaterialForm>, string> = {
  paper: '纸质',
  electronic: '电子',
  'paper-or-electronic': '纸质或电子',
};
/** One item of 申请材料. */
export const GuideMaterial = z.strictObject({
  name: text(1, 100),
  /** 原件份数 (0: no original needed, e.g. a form filled in at the window). */
  originals: z.number().int().min(0).max(20).default(1),
  /** 复印件份数 */
  copies: z.number().int().min(0).max(20).default(0),
  form: MaterialForm.default('paper'),
  required: z.boolean().default(true),
  /** 来源渠道 / remarks, e.g. 申请人自备, 窗口领取, 容缺受理. */
  note: text(0, 200).optional(),
});
export type GuideMaterial = z.infer<typeof GuideMaterial>;
export const GUIDE_ITEM_TYPES = ['immediate', 'promised'] as const;
export const GUIDE_ITEM_TYPE_LABELS: Record<(typeof GUIDE_ITEM_TYPES)[number], string> = {
  immediate: '即办件',
  promised: '承诺件',
};
/** A service's 办事指南. Deadlines are in working days. */
export const ServiceGuide = z
  .strictObject({
    /** 受理条件 */
    conditions: z.array(text(1, 300)).min(1),
    /** 申请材料 */
    materials: z.array(GuideMaterial).default([]),
    /** 办理流程, in order */
    steps: z.array(text(1, 200)).min(1),
    /** 法定时限 (working days); null: the law sets none */
    legalDays: z.number().int().min(0).max(365).nullable(),
    /** 承诺时限 (working days); 0 for 即办件 */
    promisedDays: z.number().int().min(0).max(365),
    /** 即办件 / 承诺件 */
    itemType: z.enum(GUIDE_ITEM_TYPES),
    /** 收费标准 */
    fee: text(1, 200).default('不收费'),
    /** 办理地点 */
    location: text(1, 200),
    /** 办理时间 */
    hours: text(1, 200),
    /** 咨询电话 */
    phone: text(1, 40),
    /** 设定依据 */
    basis: z.array(text(1, 200)).default([]),
  })
  .refine((g) => (g.itemType === 'immediate') === (g.promisedDays === 0), {
    message: 'itemType immediate (即办件) exactly when promisedDays is 0',
    path: ['promisedDays'],
  })
  .refine((g) => g.legalDays === null || g.promisedDays <= g.legalDays, {
    message: 'promisedDays must not exceed legalDays (承诺时限不得超过法定时限)',
    path: ['promisedDays'],
  });
export type ServiceGuide = z.infer<typeof ServiceGuide>;

// ---------------------------------------------------------------- hall configuration (YAML or JSON file)
export const HoursRange = z.strictObject({ from: HhMm, to: HhMm });
export const ServiceConfig = z.strictObject({
  id: Id,
  prefix: z.string().regex(/^[A-Z]{1,3}$/, 'prefix: 1–3 capital letters'),
  name: text(1, 60),
  department: text(1, 60),
  category: text(1, 30),
  /** Tickets per business day; null: no cap. */
  dailyCap: z.number().int().positive().nullable().default(null),
  /** Issuing hours in Asia/Shanghai; empty: the hall's default hours. */
  hours: z.array(HoursRange).optional(),
  /** Tickets per ID number per business day for this service; null: no limit. */
  perPersonDailyLimit: z.number().int().positive().nullable().default(null),
  /** Service time assumed until there is history, minutes. */
  defaultServiceMinutes: z.number().positive().max(480).default(8),
  suspended: z.boolean().default(false),
  description: text(0, 500).optional(),
  /** 办事指南, shown on kiosks. */
  guide: ServiceGuide.optional(),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;

export const CounterConfig = z.strictObject({
  id: Id,
  number: z.number().int().positive().max(9999),
  name: text(1, 60),
  kind: CounterKind,
  serviceIds: z.array(Id).min(1),
  policy: RoutingPolicyName.default('effective-time'),
});
export type CounterConfig = z.infer<typeof CounterConfig>;

export const UserConfig = z.strictObject({
  username: z.string().regex(/^[a-z0-9_.-]{2,32}$/, 'username: 2–32 lowercase letters, digits or _.-'),
  name: text(1, 40),
  role: Role,
  staffNo: text(1, 20).optional(),
  counterIds: z.array(Id).default([]),
  /** Only for demo halls: the initial password. Real halls create users with the API. */
  password: z.string().min(8).max(128).optional(),
});
export type UserConfig = z.infer<typeof UserConfig>;

export const HallSettings = z.strictObject({
  /** Head start of priority tickets in routing, minutes. */
  priorityHeadStartMinutes: z.number().min(0).max(240).default(15),
  /** A reactivated no-show re-enters behind this many waiting tickets of its service. */
  reactivateBehind: z.number().int().min(0).max(100).default(3),
  /** Mean service time is the mean of this many recent services of the service. */
  serviceTimeWindow: z.number().int().min(1).max(500).default(20),
  /** Issuing hours of services that set none. */
  defaultHours: z.array(HoursRange).default([
    { from: '08:30', to: '11:45' },
    { from: '13:30', to: '17:00' },
  ]),
  /** workdays: China's official working days (holidays and 调休 included); everyday: every day. */
  openDays: z.enum(['workdays', 'everyday']).default('workdays'),
  /** Dates the hall is closed anyway (YYYY-MM-DD). */
  closedDates: z.array(BusinessDay).default([]),
  /** The scrolling notice line of the hall screen. */
  notice: text(0, 300).default(''),
  /** Age from which an ID card gives elderly priority. */
  elderlyAge: z.number().int().min(50).max(100).default(60),
  /** The line printed on tickets. */
  ticketFooter: text(0, 100).default('过号请到咨询台重新排队'),
  /** What the hall screen says for a call; {number} and {counter} are filled in. */
  voiceTemplate: text(1, 60)
    .refine((t) => t.includes('{number}') && t.includes('{counter}'), { message: 'must contain {number} and {counter}' })
    .default('请{number}号到{counter}号窗口办理'),
});
export type HallSettings = z.infer<typeof HallSettings>;

export const CategoryConfig = z.strictObject({ id: Id, name: text(1, 30), icon: text(0, 30).optional() });
export type CategoryConfig = z.infer<typeof CategoryConfig>;

export const HallConfig = z.strictObject({
  hall: z.strictObject({
    name: text(1, 60),
    timezone: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
  }),
  settings: HallSettings.default(HallSettings.parse({})),
  categories: z.array(CategoryConfig).default([]),
  services: z.array(ServiceConfig).min(1),
  counters: z.array(CounterConfig).min(1),
  users: z.array(UserConfig).default([]),
});
export type HallConfig = z.infer<typeof HallConfig>;
export type HallConfigInput = z.input<typeof HallConfig>;

// ---------------------------------------------------------------- entities as the API shows them
export const Service = z.object({
  id: Id,
  prefix: z.string(),
  name: z.string(),
  department: z.string(),
  category: z.string(),
  dailyCap: z.number().int().nullable(),
  hours: z.array(HoursRange),
  perPersonDailyLimit: z.number().int().nullable(),
  defaultServiceMinutes: z.number(),
  suspended: z.boolean(),
  description: z.string().nullable(),
});
export type Service = z.infer<typeof Service>;

export const Category = z.object({ id: Id, name: z.string(), icon: z.string().nullable() });
export type Category = z.infer<typeof Category>;
/** `GET /api/v1/guides`: the hall's categories and every service's guide (services without one are absent). */
export const GuidesResponse = z.object({
  categories: z.array(Category),
  guides: z.array(z.object({ serviceId: Id, guide: ServiceGuide })),
});
export type GuidesResponse = z.infer<typeof GuidesResponse>;

export const ClerkOnDuty = z.object({ id: Id, name: z.string(), staffNo: z.string().nullable() });
export type ClerkOnDuty = z.infer<typeof ClerkOnDuty>;

export const Counter = z.object({
  id: Id,
  number: z.number().int(),
  name: z.string(),
  kind: CounterKind,
  serviceIds: z.array(Id),
  policy: RoutingPolicyName,
  state: CounterState,
  currentTicketId: Id.nullable(),
  clerk: ClerkOnDuty.nullable(),
  stateSince: IsoTime,
});
export type Counter = z.infer<typeof Counter>;

/** A ticket as every screen may see it: nothing personal is ever part of a ticket. */
export const TicketView = z.object({
  id: Id,
  number: z.string(),
  serviceId: Id,
  status: TicketStatus,
  priority: Priority,
  businessDay: BusinessDay,
  issuedAt: IsoTime,
  calledAt: IsoTime.nullable(),
  startedAt: IsoTime.nullable(),
  finishedAt: IsoTime.nullable(),
  counterId: Id.nullable(),
  /** A ticket transferred to one counter: only that counter may call it. */
  targetCounterId: Id.nullable(),
  recallCount: z.number().int(),
  transferCount: z.number().int(),
});
export type TicketView = z.infer<typeof TicketView>;

/** A ticket as the HTTP API returns it. */
export const Ticket = TicketView.extend({
  peopleAhead: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().int().nullable(),
  statusPath: z.string(),
});
export type Ticket = z.infer<typeof Ticket>;

export const QueueSummary = z.object({
  serviceId: Id,
  waiting: z.number().int(),
  oldestWaitSeconds: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().int().nullable(),
  /** W2 for a new ordinary ticket of the service now: what a kiosk's confirmation promises. */
  peopleAhead: z.number().int().nullable(),
});
export type QueueSummary = z.infer<typeof QueueSummary>;

export const User = z.object({
  id: Id,
  username: z.string(),
  name: z.string(),
  role: Role,
  staffNo: z.string().nullable(),
  counterIds: z.array(Id),
});
export type User = z.infer<typeof User>;

export const Device = z.object({
  id: Id,
  kind: DeviceKind,
  name: z.string(),
  counterId: Id.nullable(),
  createdAt: IsoTime,
  revokedAt: IsoTime.nullable(),
});
export type Device = z.infer<typeof Device>;

export const Evaluation = z.object({
  id: Id,
  ticketId: Id,
  counterId: Id,
  clerkId: Id.nullable(),
  level: EvaluationLevel,
  reasons: z.array(z.string()),
  comment: z.string().nullable(),
  createdAt: IsoTime,
});
export type Evaluation = z.infer<typeof Evaluation>;

// ---------------------------------------------------------------- device health (a kiosk's printer, card reader)
export const DEVICE_COMPONENTS = ['printer', 'card-reader'] as const;
export const DeviceComponent = z.enum(DEVICE_COMPONENTS);
export type DeviceComponent = z.infer<typeof DeviceComponent>;
export const DEVICE_FAULTS = [
  'PAPER_OUT',
  'PAPER_NEAR_END',
  'COVER_OPEN',
  'PRINTER_OFFLINE',
  'PRINTER_ERROR',
  'PRINT_FAILED',
  'READER_OFFLINE',
  'READER_ERROR',
] as const;
export const DeviceFaultCode = z.enum(DEVICE_FAULTS);
export type DeviceFaultCode = z.infer<typeof DeviceFaultCode>;
/** What a manager reads for each fault. */
export const DEVICE_FAULT_LABELS: Record<DeviceFaultCode, string> = {
  PAPER_OUT: '打印机缺纸',
  PAPER_NEAR_END: '打印纸将尽',
  COVER_OPEN: '打印机盖未关',
  PRINTER_OFFLINE: '打印机离线',
  PRINTER_ERROR: '打印机故障',
  PRINT_FAILED: '号票打印失败',
  READER_OFFLINE: '身份证读卡器离线',
  READER_ERROR: '身份证读卡器故障',
};
/** Faults that still let the kiosk work (shown amber, not red). */
export const DEVICE_WARNINGS: readonly DeviceFaultCode[] = ['PAPER_NEAR_END'];
/** A device reports the state of one of its components: a fault, or null once it works again. */
export const DeviceReportBody = z.strictObject({
  component: DeviceComponent,
  fault: DeviceFaultCode.nullable(),
  detail: text(0, 200).optional(),
});
export type DeviceReportBody = z.infer<typeof DeviceReportBody>;
export const DeviceFault = z.object({
  component: DeviceComponent,
  code: DeviceFaultCode,
  detail: z.string().nullable(),
  since: IsoTime,
});
export type DeviceFault = z.infer<typeof DeviceFault>;

export const HallInfo = z.object({
  name: z.string(),
  timezone: z.string(),
  notice: z.string(),
  businessDay: BusinessDay,
  ticketFooter: z.string(),
  voiceTemplate: z.string(),
  /** Age from which an ID card gives elderly priority (the server derives it from the ID number). */
  elderlyAge: z.number().int(),
});
export type HallInfo = z.infer<typeof HallInfo>;

// ---------------------------------------------------------------- API bodies (strict: unknown fields refused)
export const LoginBody = z.strictObject({ username: text(1, 64), password: z.string().min(1).max(256) });
export const LoginResponse = z.object({ token: z.string(), user: User });

export const CreateDeviceBody = z
  .strictObject({ kind: DeviceKind, name: text(1, 60), counterId: Id.optional() })
  .refine((b) => !COUNTER_BOUND_KINDS.includes(b.kind) || b.counterId !== undefined, {
    message: 'counterId is required for this kind of device',
    path: ['counterId'],
  });
export type CreateDeviceBody = z.infer<typeof CreateDeviceBody>;
export const CreateDeviceResponse = z.object({ device: Device, token: z.string() });

export const CreateUserBody = z.strictObject({
  username: UserConfig.shape.username,
  password: z.string().min(8).max(256),
  name: text(1, 40),
  role: Role,
  staffNo: text(1, 20).optional(),
  counterIds: z.array(Id).max(200).optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const IssueTicketBody = z.strictObject({
  serviceId: Id,
  requestId: RequestId,
  priority: Priority.optional(),
  idNumber: z.string().max(32).optional(),
});
export type IssueTicketBody = z.infer<typeof IssueTicketBody>;

export const CallNextBody = z.strictObject({ requestId: RequestId.optional() });
export type CallNextBody = z.infer<typeof CallNextBody>;

/** Call one waiting ticket by its number: "A023", or its digits only ("23", "023") as a keypad types them. */
export const CallNumberBody = z.strictObject({
  number: z.string().regex(/^[A-Za-z]{0,3}\d{1,6}$/, 'a ticket number such as A023, or its digits'),
  requestId: RequestId.optional(),
});
export type CallNumberBody = z.infer<typeof CallNumberBody>;

export const TransferBody = z.union([z.strictObject({ serviceId: Id }), z.strictObject({ counterId: Id })]);
export type TransferBody = z.infer<typeof TransferBody>;

export const EmptyBody = z.strictObject({});

export const EvaluationBody = z.strictObject({
  ticketId: Id,
  level: EvaluationLevel,
  reasons: z.array(text(1, 50)).max(10).optional(),
  comment: text(0, 500).optional(),
});
export type EvaluationBody = z.infer<typeof EvaluationBody>;

export const NoticeBody = z.strictObject({ notice: text(0, 300) });

export const IdParams = z.strictObject({ id: Id });

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

// ---------------------------------------------------------------- pairing a screen (no token yet)
export const PairingRequestBody = z.strictObject({
  kind: DeviceKind,
  /** The counter's number, for counter-bound kinds (counter screens and pads know it from their address). */
  counterNumber: z.number().int().positive().max(9999).optional(),
  name: text(1, 60).optional(),
});
export type PairingRequestBody = z.infer<typeof PairingRequestBody>;
export const Pairing = z.object({
  id: z.string(),
  code: z.string(),
  kind: DeviceKind,
  counterId: Id.nullable(),
  name: z.string(),
  createdAt: IsoTime,
  expiresAt: IsoTime,
});
export type Pairing = z.infer<typeof Pairing>;
export const PairingClaimBody = z.strictObject({ secret: z.string().min(8).max(100) });
export const PairingClaimResponse = z.union([
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('approved'), token: z.string(), deviceId: Id }),
]);
export type PairingClaimResponse = z.infer<typeof PairingClaimResponse>;
export const PairingApproveBody = z.strictObject({ name: text(1, 60).optional() });
