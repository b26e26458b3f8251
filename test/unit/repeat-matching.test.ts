/** Repeat matching (issue 13): folding, normalised names and places, scores and the three outcomes; pure, no server. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chineseNumeral, fold } from "../../matching/fold";
import { matchFeatures, nameFeatures, placeFeatures, type GeoPoint } from "../../matching/normalise";
import { decide, scoreCandidate, type Candidate } from "../../matching/score";
import { matcherJoiner, replay } from "../../matching/replay";
import { labelledOrders } from "../../scripts/bench/repeats";

const hash = (s: string) => createHmac("sha256", "test-key").update(s).digest("hex");
const f = (subjectName: string, address: string, location?: GeoPoint, subjectType: "enterprise" | "person" = "enterprise") =>
  matchFeatures({ subjectName, subjectType, address, location }, hash);
const caseOf = (...orders: ReturnType<typeof f>[]): Candidate => ({ caseId: "case-1", sameDistrict: true, orders });
const outcome = (order: ReturnType<typeof f>, c: Candidate) => decide(order, [c]).outcome;

describe("folding", () => {
  it("reads Chinese numerals positionally and digit by digit, and full-width digits", () => {
    expect(chineseNumeral("七百零六")).toBe(706);
    expect(chineseNumeral("八十八")).toBe(88);
    expect(chineseNumeral("十二")).toBe(12);
    expect(chineseNumeral("七零六")).toBe(706);
    expect(fold("解放东路８８号")).toBe("解放东路88号");
    expect(fold("南通路 七百零六号 东侧")).toBe("南通路706号东侧");
    // A numeral in a name stays a name (三里屯), only one before a unit is a number.
    expect(fold("三里屯一中")).toBe("三里屯一中");
  });
});

describe("normalised names", () => {
  it("strip administrative prefixes, legal forms, trades and descriptors down to the distinctive core", () => {
    expect(nameFeatures("焦作市光辉汽车维修服务有限公司")).toMatchObject({ core: "光辉", trades: ["autorepair"] });
    expect(nameFeatures("光辉汽修")).toMatchObject({ core: "光辉", trades: ["autorepair"] });
    expect(nameFeatures("河南省焦作市中站区恒通铸造有限责任公司").core).toBe("恒通");
    expect(nameFeatures("焦作市金鑫皮业（普通合伙）").core).toBe("金鑫");
  });
  it("treat placeholders, descriptors and a park's or village's name alone as no name", () => {
    for (const generic of ["不详", "未知", "那家砖厂", "路边汽修店", "西部工业园", "张庄村", "工业园里的铸造厂", "小区楼下烧烤摊"])
      expect(nameFeatures(generic).core).toBe("");
  });
});

describe("normalised places", () => {
  it("reduce house-number forms to road and number", () => {
    for (const a of ["焦作市示范区南通路706号", "南通路706号院", "南通路七百零六号东侧", "待王街道南通路706号", "南通路706-2号", "南通路７０６之１号"])
      expect(placeFeatures(a).houses).toEqual([{ road: "南通路", no: 706 }]);
  });
  it("read a number in an industrial park or a village as a house there", () => {
    expect(placeFeatures("沁阳市紫陵镇坞头村工业园5号").houses).toEqual([{ road: "坞头村工业园", no: 5 }]);
    expect(placeFeatures("许衡街道东冯封村12号").houses).toEqual([{ road: "东冯封村", no: 12 }]);
  });
  it("understand intersections in either order and wording", () => {
    expect(placeFeatures("塔南路与人民路交叉口北100米").crossings).toEqual(["人民路|塔南路"]);
    expect(placeFeatures("人民路塔南路口").crossings).toEqual(["人民路|塔南路"]);
  });
  it("treat placeholders as no place", () => {
    expect(placeFeatures("不详").text).toBe("");
    expect(placeFeatures("某小区").text).toBe("");
  });
});

describe("scores and outcomes", () => {
  const guanghui = caseOf(f("焦作市光辉汽车维修服务有限公司", "焦作市示范区南通路706号"));
  it("join the issue's three wordings of one problem", () => {
    expect(outcome(f("光辉汽修", "南通路706号院"), guanghui)).toBe("repeat");
    expect(outcome(f("路边汽修店", "南通路706号"), guanghui)).toBe("repeat");
    expect(outcome(f("光徽汽修", "南通路七百零六号"), guanghui)).toBe("repeat"); // a homophone typo
  });
  it("do not join on a shared park or village, a generic name, or the same sign elsewhere", () => {
    const foundry = caseOf(f("恒通铸造厂", "九里山工业园区"));
    expect(outcome(f("园区里的化工厂", "九里山工业园区"), foundry)).toBe("new"); // another trade in the park
    const tannery = caseOf(f("金鑫皮业", "西村乡张庄村"));
    expect(outcome(f("宏发制革厂", "西村乡张庄村"), tannery)).toBe("new"); // another tannery in the village
    expect(outcome(f("不详", "南通路88号"), guanghui)).toBe("new");
    expect(outcome(f("光辉汽修", "焦东路98号"), { ...guanghui, sameDistrict: false })).not.toBe("repeat");
  });
  it("join a generic name of the same trade at the same house in a park, or at the same spot by a landmark", () => {
    const coking = caseOf(f("沁阳市恒运焦化有限公司", "沁阳市紫陵镇坞头村工业园5号"));
    expect(outcome(f("焦化厂", "沁阳紫陵镇工业园5号"), coking)).toBe("repeat");
    expect(outcome(f("焦化厂", "紫陵镇坞头村工业园8号"), coking)).not.toBe("repeat");
    const grill = caseOf(f("焦作市山阳区老街坊烧烤", "山阳区人民公园东门对面"));
    expect(outcome(f("烧烤店", "山阳区人民公园东门对面路边"), grill)).toBe("repeat");
    expect(outcome(f("烧烤店", "山阳区人民公园西门"), grill)).not.toBe("repeat");
  });
  it("leave a generic name in the same village to a dispatcher", () => {
    const kiln = caseOf(f("那家砖厂", "大封镇老催庄村北"));
    expect(outcome(f("砖瓦厂", "大封镇老催庄村北"), kiln)).toBe("possible");
  });
  it("match a case on all its orders, not its first only", () => {
    const c = caseOf(f("不详", "塔南路与人民路交叉口"), f("夜色KTV", "不详"));
    expect(outcome(f("夜色量贩KTV", "人民路塔南路口"), c)).toBe("repeat");
    expect(outcome(f("夜色量贩KTV", "人民路塔南路口"), caseOf(c.orders[0]!))).not.toBe("repeat");
  });
  it("take reported points as strong evidence", () => {
    const kiln = caseOf(f("那家砖厂", "大封镇老催庄村北", { lat: 35.0421, lng: 113.4012 }));
    expect(outcome(f("砖瓦厂", "老催庄村", { lat: 35.0425, lng: 113.4016 }), kiln)).toBe("repeat");
    expect(outcome(f("砖瓦厂", "老催庄村", { lat: 35.09, lng: 113.45 }), kiln)).toBe("new");
  });
  it("match a person as subject by keyed hash only: no text of it is kept", () => {
    const person = f("王某某", "中站区龙翔小区5号楼", undefined, "person");
    expect(JSON.stringify(person)).not.toMatch(/王|龙翔/);
    expect(outcome(f("王某某", "焦作市中站区龙翔小区5号楼", undefined, "person"), caseOf(person))).toBe("repeat");
    // One character off is another person: no fuzzy matching of people.
    expect(scoreCandidate(f("王某", "中站区龙翔小区5号楼", undefined, "person"), caseOf(person)).name).toBe(0);
  });
});

describe("the labelled set", () => {
  it("is measured: the matcher joins most repeats and almost no distractor", () => {
    const r = replay(labelledOrders(), matcherJoiner(30), hash);
    expect(r.orders).toBeGreaterThanOrEqual(150);
    expect(r.pairwisePrecision).toBeGreaterThanOrEqual(0.95);
    // The goal: recall ≥ 0.90 at precision ≥ 0.95 (confident joins, before any review).
    expect(r.pairwiseRecall).toBeGreaterThanOrEqual(0.9);
    expect(r.distractorsJoined).toBeLessThanOrEqual(1);
  });
});
