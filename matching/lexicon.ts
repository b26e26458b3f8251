/**
 * The words repeat matching treats as data: administrative prefixes, legal forms, the generic heads
 * of a polluter's name (its trade: 汽修, 化工, 砖厂), descriptors and placeholders callers use when
 * they do not know a name, and the suffixes of roads and areas. Not tuned to any example: each list
 * is the general vocabulary of Chinese business names and addresses.
 */
import routing from "../config/routing.json" with { type: "json" };

/** Province, city and county-level names stripped from the front of names and addresses (full forms, then the bare county/city names that prefix company names). */
export const ADMIN_PREFIXES: readonly string[] = [
  "中华人民共和国",
  "河南省",
  "河南",
  "焦作市",
  "焦作",
  ...Object.keys(routing.districts),
  "城乡一体化示范区",
  "高新区",
  ...Object.keys(routing.districts)
    .filter((d) => /[县市]$/.test(d) && d.length === 3)
    .map((d) => d.slice(0, 2)),
].sort((a, b) => b.length - a.length);

/** Legal-form and organisational suffixes (有限公司 …), stripped from the end of a name. */
export const LEGAL_SUFFIXES: readonly string[] = [
  "股份有限公司",
  "有限责任公司",
  "集团有限公司",
  "有限公司",
  "分公司",
  "总公司",
  "公司",
  "集团",
  "股份",
  "合作社",
  "个体工商户",
  "门市部",
  "经营部",
  "经销部",
  "工作室",
  "分店",
  "总店",
  "连锁",
];

/** Trades: a name's generic head in its usual variants, by category. Two names with different trades are different polluters. */
export const TRADES: Record<string, readonly string[]> = {
  autorepair: ["汽车维修服务", "汽车维修", "汽车修理", "汽车服务", "汽车美容", "汽修", "修车", "钣金喷漆", "钣喷", "修理厂"],
  carwash: ["洗车"],
  chemical: ["化工", "化学", "化肥", "农药", "精细化"],
  pharma: ["制药", "药业", "生物科技"],
  foundry: ["铸造", "铸件", "铸业", "翻砂"],
  smelting: ["钢铁", "钢厂", "冶炼", "冶金", "轧钢", "铝业", "铝厂", "炼铁", "锌业", "铅业"],
  tannery: ["制革", "皮革", "皮业", "皮具", "皮毛", "皮草", "鞣制"],
  brick: ["砖瓦", "砖厂", "砖窑", "窑厂", "轮窑", "砖"],
  cement: ["水泥", "混凝土", "搅拌站", "商砼", "沥青"],
  paper: ["造纸", "纸业", "纸厂"],
  textile: ["印染", "染厂", "纺织", "漂染"],
  catering: [
    "餐饮",
    "饭店",
    "饭馆",
    "餐馆",
    "餐厅",
    "酒家",
    "酒楼",
    "烧烤",
    "烤肉",
    "烤串",
    "火锅",
    "小吃",
    "面馆",
    "食堂",
    "大排档",
    "烩面",
    "羊肉汤",
    "宾馆",
    "酒店",
    "饭庄",
  ],
  entertainment: ["ktv", "歌厅", "歌舞厅", "酒吧", "网吧", "网咖", "舞厅", "量贩", "广场舞", "棋牌"],
  livestock: ["养殖", "养猪", "猪场", "养鸡", "鸡场", "牛场", "羊场", "鸭场", "牧业"],
  slaughter: ["屠宰", "肉联"],
  construction: ["工地", "建筑", "施工", "项目部", "房地产", "置业", "拆迁"],
  stone: ["石材", "石料", "采石", "碎石", "石子", "砂石", "沙场", "石粉"],
  wood: ["家具", "木业", "板材", "木材", "木器"],
  plastics: ["塑料", "塑胶", "橡胶", "泡沫"],
  recycling: ["废品", "回收", "再生资源", "废旧"],
  printing: ["印刷", "包装", "彩印"],
  plating: ["电镀", "镀锌"],
  coal: ["煤矿", "洗煤", "煤场", "焦化", "煤业", "焦煤", "煤炭", "型煤"],
  power: ["电厂", "热电", "发电", "热力", "锅炉"],
  medical: ["医院", "诊所", "卫生院"],
  food: ["食品", "面粉", "粮油", "饲料", "酿酒", "酒厂", "豆制品", "淀粉", "油脂"],
  fuel: ["加油站", "加气站"],
  refractory: ["耐火", "耐材", "陶瓷", "玻璃"],
  battery: ["电池", "蓄电池"],
  laundry: ["洗衣", "干洗"],
  school: ["学校", "中学", "小学", "幼儿园"],
  pharmacy: ["大药房", "药房", "药店"],
  steelwork: ["钢结构", "钢构", "彩钢"],
  logistics: ["物流", "快递", "货运", "仓储"],
  bathing: ["足疗", "洗浴", "按摩", "浴池", "足浴", "汗蒸"],
  property: ["物业"],
  retail: ["超市", "商场", "商店", "市场"],
};

/** Generic words of a business name that say nothing of which one (厂/店 heads, 科技, 实业 …), stripped wherever they end the name. */
export const GENERIC_TAILS: readonly string[] = [
  "服务",
  "中心",
  "加工",
  "制造",
  "生产",
  "科技",
  "实业",
  "工贸",
  "商贸",
  "贸易",
  "工程",
  "建设",
  "发展",
  "开发",
  "有限",
  "新型",
  "材料",
  "制品",
  "工业",
  "产品",
  "设备",
  "机械",
  "厂",
  "店",
  "场",
  "铺",
  "部",
  "站",
  "行",
  "作坊",
  "坊",
  "处",
  "城",
  "项目",
  "摊",
  "摊点",
  "摊位",
];

/** What callers say instead of a name (那家, 路边, 某), stripped from the front. */
export const DESCRIPTORS: readonly string[] = [
  "不知名",
  "不知道名字",
  "那家",
  "这家",
  "那个",
  "这个",
  "一家",
  "一个",
  "有家",
  "有个",
  "某个",
  "某家",
  "某",
  "路边",
  "街边",
  "马路边",
  "附近",
  "旁边",
  "对面",
  "隔壁",
  "村里",
  "村口",
  "村头",
  "小区楼下",
  "小区门口",
  "小区里",
  "小区内",
  "小区",
  "门口",
  "楼下",
  "楼上",
  "无名",
  "无证",
  "私人",
  "个体",
  "违法",
  "非法",
  "新开",
  "新建",
  "流动",
  "一些",
  "多家",
];

/** Complaint words callers put into the subject ("工地夜间施工", "偷排污水的厂"): removed wherever they stand. */
export const COMPLAINT_WORDS: readonly string[] = [
  "夜间",
  "半夜",
  "凌晨",
  "噪音",
  "噪声",
  "扰民",
  "偷排",
  "排污",
  "污染",
  "异味",
  "臭味",
  "冒黑烟",
  "黑烟",
  "粉尘",
  "扬尘",
  "污水",
  "乱倒",
  "倾倒",
  "焚烧",
  "音响",
  "大喇叭",
  "喇叭",
  "外放",
  "广播",
];

/** Placeholders: a subject or address that names nothing. */
export const PLACEHOLDERS =
  /^(不详|未知|不清楚|不知道|不知名|无名|暂无|无|待查|其他|其它|有关单位|相关单位|企业|单位|个人|商户|周边|附近|一带|这里|那里|此处|该处)$/;

/** Suffixes of roads and streets. */
export const ROAD_SUFFIX = "(?:大道|大街|路|街|巷|胡同)";
/** Suffixes of towns and subdistricts: too large to say anything of a polluter's place. */
export const TOWN_SUFFIX = "(?:街道|镇|乡|开发区|产业集聚区|集聚区)";
/** Suffixes of areas: parks, villages, estates, markets (a place too large to tell two polluters apart, but two different ones are two places). */
export const AREA_SUFFIX = "(?:工业园区|工业园|产业园|产业集聚区|集聚区|开发区|园区|小区|社区|花园|家园|新村|村|市场|广场|大厦|商场|公园|街道|镇|乡)";
/** Landmarks a caller places a polluter by ("一中南100米", "人民公园东门对面"): near, not in; several name one place. */
export const LANDMARK_SUFFIX =
  "(?:中学|小学|[一二三四五六七八九十]+中|学校|幼儿园|医院|卫生院|火车站|汽车站|客运站|车站|银行|加油站|超市|宾馆|酒店|公园|广场|大厦|商场|体育馆|政府|派出所)";
/** Landmark words that alone name no particular one ("医院", "超市"). */
export const GENERIC_LANDMARKS = /^(?:市|县|区)?(?:中学|小学|学校|幼儿园|医院|卫生院|车站|银行|加油站|超市|宾馆|酒店|公园|广场|大厦|商场|体育馆)$/;

/** Characters that make two village or estate names different places, not a typo (东韩王村 / 西韩王村, 大文案村 / 小文案村). */
export const DISTINGUISHING_CHARS = "东西南北大小前后上下新老中";
