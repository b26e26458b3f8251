// Chinese labels for the API's codes (stages, kinds, lines, elements, colours, roles, events,
// error codes). Unknown codes show as they are.

export const STAGES = {
  accepted: "已受理",
  returned: "已退回平台",
  transferred: "已转办待签收",
  sent_back: "已退单待改派",
  investigating: "现场调查中",
  rectifying: "整改中",
  feedback: "待反馈",
  closed: "已办结",
  revisit_pending: "待回访",
  completed: "已完结",
};
export const STAGE_ORDER = Object.keys(STAGES);

export const KINDS = { consultation: "咨询", help: "求助", opinion: "意见", suggestion: "建议", complaint: "投诉", report: "举报" };
export const SOURCE_LINES = { 12345: "12345 政务热线", 12369: "12369 环保热线", 12314: "12314 水利监督" };
export const CHANNELS = { phone: "电话", wechat: "微信", web: "网站", platform: "平台" };
export const ELEMENTS = {
  water: "水",
  air: "大气",
  noise: "噪声",
  solid_waste: "固体废物",
  construction: "建设项目",
  radiation: "辐射",
  other: "其他",
};
export const COLOURS = { green: "绿", blue: "蓝", yellow: "黄", red: "红" };
export const COLOUR_MEANING = {
  green: "正常办理",
  blue: "时限过半",
  yellow: "最后一个工作日",
  red: "已超期",
};
export const COLOUR_ORDER = ["green", "blue", "yellow", "red"];

export const ROLES = { integration: "平台对接", unit: "处置单位", dispatcher: "调度人员", supervisor: "督办人员", admin: "系统管理员" };

export const DISTRICTS = {
  解放区: "branch-jiefang",
  中站区: "branch-zhongzhan",
  马村区: "branch-macun",
  山阳区: "branch-shanyang",
  示范区: "branch-shifan",
  修武县: "branch-xiuwu",
  博爱县: "branch-boai",
  武陟县: "branch-wuzhi",
  温县: "branch-wenxian",
  沁阳市: "branch-qinyang",
  孟州市: "branch-mengzhou",
  市直: null,
};

export const UNITS = {
  ...Object.fromEntries(
    Object.entries(DISTRICTS)
      .filter(([, id]) => id)
      .map(([d, id]) => [id, `${d}分局`]),
  ),
  "section-water": "水环境管理科",
  "section-air": "大气环境管理科",
  "section-noise": "噪声管理科",
  "section-solid-waste": "固体废物管理科",
  "section-construction": "建设项目管理科",
  "section-radiation": "辐射管理科",
};

export const EXTENSION_STATUS = { pending: "待审批", approved: "已批准", rejected: "已驳回" };
export const REWARD_STATUS = { pending: "待审批", approved: "已批准（发放中）", rejected: "已驳回", paid: "已发放" };

export const EVENTS = {
  accepted: "受理",
  merged: "确认重复，并入在先案件",
  returned: "退回平台",
  transferred: "转办至处置单位",
  sign_overdue: "签收超时",
  signed: "签收",
  sent_back: "退单",
  investigated: "提交现场调查记录",
  rectified: "整改完成",
  rectification_planned: "制定整改方案",
  closed: "反馈办结",
  feedback_sent: "已向热线平台反馈",
  revisit_scheduled: "安排回访",
  revisited: "回访",
  reopened: "重新办理",
  completed: "完结",
  extension_requested: "申请延期",
  extension_approved: "批准延期",
  extension_rejected: "驳回延期",
  repeat_report: "重复举报并案",
  escalated: "提级办理",
  urged: "催办",
  overdue: "超期",
  deadline_recomputed: "办理时限重算",
  reward_applied: "申请举报奖励",
  reward_approved: "批准举报奖励",
  reward_rejected: "驳回举报奖励",
  reward_paid: "奖励已发放",
  evidence_attached: "上传佐证材料",
  colour_green: "台账转为绿色",
  colour_blue: "台账转为蓝色（时限过半）",
  colour_yellow: "台账转为黄色（最后一个工作日）",
  colour_red: "台账转为红色（超期）",
};

export const ERROR_CODES = {
  invalid_request: "请求内容不符合要求",
  invalid_json: "请求格式错误",
  invalid_state: "当前阶段不能进行此操作",
  business_rule: "不符合办理规则",
  forbidden: "无权进行此操作",
  out_of_scope: "该案件不属于本单位",
  unauthorized: "令牌无效或已失效",
  case_not_found: "案件不存在",
  not_found: "未找到对应记录",
  case_finished: "案件已结束，不能再操作",
  rate_limited: "操作过于频繁",
  unavailable: "后台服务暂不可用，请稍后重试",
  internal: "服务器内部错误",
  route_not_found: "接口不存在",
  network: "网络错误",
  payload_too_large: "提交内容过大",
};

/** The label of a code in a table, or the code itself. */
export const label = (map, code) => (code === undefined || code === null ? "—" : (map[code] ?? String(code)));
/** A unit's name, e.g. "解放区分局". */
export const unitName = (id) => (id ? (UNITS[id] ?? id) : "—");
