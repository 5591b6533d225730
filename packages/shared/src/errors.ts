/**
 * Every error the API and the socket protocol can answer: a stable code, its HTTP status and a zh-CN
 * sentence a citizen or a clerk understands. Error bodies are {"error": {"code", "message"}}.
 */
export const ERRORS = {
  INVALID_REQUEST: { status: 400, message: '请求格式不正确。' },
  UNAUTHENTICATED: { status: 401, message: '未登录或登录已失效，请重新登录。' },
  FORBIDDEN: { status: 403, message: '您没有权限进行此操作。' },
  NOT_FOUND: { status: 404, message: '要找的对象不存在。' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大（上限 64 KiB）。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '请以 JSON 格式提交。' },
  TOO_MANY_REQUESTS: { status: 429, message: '尝试次数过多，请稍后再试。' },
  // 409 — state conflicts
  TICKET_NOT_WAITING: { status: 409, message: '该号票不在等候状态。' },
  TICKET_NOT_CALLED: { status: 409, message: '该号票尚未叫号或已在办理中。' },
  TICKET_NOT_SERVING: { status: 409, message: '该号票不在办理中。' },
  TICKET_ALREADY_SERVING: { status: 409, message: '该号票已在办理中。' },
  TICKET_CLOSED: { status: 409, message: '该号票已办结、过号或已取消。' },
  TICKET_NOT_NO_SHOW: { status: 409, message: '只有过号的号票可以重新排队。' },
  TICKET_NOT_DONE: { status: 409, message: '业务办结后才能评价。' },
  TICKET_EXPIRED: { status: 409, message: '该号票不是今天的号票，已失效。' },
  NO_CURRENT_TICKET: { status: 409, message: '本窗口当前没有号票。' },
  COUNTER_NOT_OPEN: { status: 409, message: '窗口未开放或已暂停，请先开启窗口。' },
  COUNTER_NOT_CLOSED: { status: 409, message: '窗口已在工作中。' },
  COUNTER_NOT_PAUSED: { status: 409, message: '窗口没有暂停。' },
  COUNTER_BUSY: { status: 409, message: '窗口还有未办结的号票，请先办结或转移。' },
  COUNTER_IN_USE: { status: 409, message: '该窗口已由其他工作人员登录使用。' },
  CLERK_AT_OTHER_COUNTER: { status: 409, message: '您已在其他窗口工作，请先关闭那个窗口。' },
  ALREADY_EVALUATED: { status: 409, message: '该号票已经评价过了，感谢您的反馈。' },
  REQUEST_ID_REUSED: { status: 409, message: '该请求编号已用于其他内容的请求。' },
  USERNAME_TAKEN: { status: 409, message: '该用户名已被使用。' },
  DEVICE_REVOKED: { status: 409, message: '该设备已被注销。' },
  // 422 — business refusals
  SERVICE_CLOSED: { status: 422, message: '该业务今日暂停办理。' },
  OUTSIDE_HOURS: { status: 422, message: '当前不在该业务的取号时间内。' },
  DAILY_CAP_REACHED: { status: 422, message: '该业务今日号票已取完，请改日再来。' },
  PERSON_LIMIT_REACHED: { status: 422, message: '您今天在该业务的取号次数已达上限。' },
  INVALID_ID_NUMBER: { status: 422, message: '身份证号码不正确，请核对后重试。' },
  REASON_REQUIRED: { status: 422, message: '不满意评价请选择原因。' },
  TRANSFER_TO_SELF: { status: 422, message: '不能转移到当前的业务或窗口。' },
  TICKET_NOT_FOR_COUNTER: { status: 422, message: '该号码不属于本窗口办理的业务。' },
  NUMBER_AMBIGUOUS: { status: 422, message: '有多个等候中的号码与之相符，请输入带字母的完整号码。' },
  COUNTER_NOT_ASSIGNED: { status: 422, message: '该工作人员未被分配到此窗口。' },
  // 5xx — never for input; the server's own failures
  INTERNAL: { status: 500, message: '服务器内部错误，请联系大厅管理员。' },
  UNAVAILABLE: { status: 503, message: '服务器正忙或正在重启，请稍后再试。' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export interface ErrorBody {
  error: ApiError;
}

export function apiError(code: ErrorCode, message?: string): ApiError {
  return { code, message: message ?? ERRORS[code].message };
}

export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}
