/**
 * The situation report's words, in English and Arabic. The report is printed and carried outside
 * the system, so its text lives here (both renderers and the web page's preview read it), not in
 * the web app's catalogues. Numbers are written with Western digits in both languages, as the
 * count's own exports are.
 */
import type { ReadingKind, SourceClaim } from './sources.js';

export type SitrepLang = 'en' | 'ar';

export interface SitrepLabels {
  title: string;
  operation: string;
  asOf: string;
  producedAt: string;
  timeNote: (tz: string) => string;
  totals: string;
  metric: Record<string, string>;
  sex: Record<string, string>;
  site: string;
  unknownSite: string;
  sexCol: string;
  ageCol: string;
  bySite: string;
  byDay: string;
  byDaySexAge: string;
  day: string;
  leftByEnd: string;
  arrivedByEnd: string;
  moved: string;
  movedNote: string;
  convoys: string;
  convoy: Record<string, string>;
  protection: string;
  missingInTransit: string;
  openTracing: string;
  openAlerts: string;
  countsOnly: string;
  incidents: string;
  incident: Record<string, string>;
  casualty: Record<'injured' | 'killed' | 'detained', string>;
  excludes: string;
  excludeHeadCount: (left: number, everyone: number) => string;
  excludeTurnedBack: (n: number) => string;
  excludeUnregistered: string;
  sources: string;
  noSources: string;
  sourceSaid: (source: string, qualifier: string, figure: string, claim: string, at: string) => string;
  qualifier: Record<string, string>;
  claim: Record<SourceClaim, string>;
  corridorAtTime: (n: string) => string;
  reading: Record<ReadingKind, string>;
  closest: (what: string, diff: string) => string;
  agrees: string;
  disagrees: string;
  proof: string;
  lastFact: string;
  noFact: string;
  countsVerify: (ok: boolean, cells: number, facts: number, persons: number) => string;
  auditHead: string;
  digest: string;
  verifyHow: string;
  value: string;
  figure: string;
}

const en: SitrepLabels = {
  title: 'Situation report',
  operation: 'Operation',
  asOf: 'Figures as of',
  producedAt: 'Produced at',
  timeNote: (tz) => `Days are calendar days in ${tz}; times are UTC.`,
  totals: 'Totals',
  metric: {
    registered: 'Registered, waiting',
    boarded: 'Boarded',
    in_transit: 'In transit',
    arrived: 'Arrived',
    missing: 'Missing in transit',
    turned_back: 'Turned back',
    everyone: 'Everyone counted',
    left: 'Had left (in transit, arrived or missing)',
  },
  sex: { female: 'Female', male: 'Male', unknown: 'Unknown' },
  site: 'Site',
  unknownSite: '(site not known)',
  sexCol: 'Sex',
  ageCol: 'Age',
  bySite: 'By site, sex and age (now)',
  byDay: 'By day',
  byDaySexAge: 'Arrivals by day, sex and age',
  day: 'Day',
  leftByEnd: 'Had left by the end of the day',
  arrivedByEnd: 'Had arrived by the end of the day',
  moved: 'People moved over time',
  movedNote: 'Solid line: had left. Dotted line: had arrived. One point per hour that saw a change.',
  convoys: 'Convoys',
  convoy: {
    completed: 'Completed',
    inTransit: 'In transit',
    halted: 'Halted',
    turnedBack: 'Turned back',
    cancelled: 'Cancelled',
    boarding: 'Boarding',
    planned: 'Planned',
  },
  protection: 'Missing, tracing and protection',
  missingInTransit: 'Missing in transit',
  openTracing: 'Open tracing requests',
  openAlerts: 'Open protection alerts',
  countsOnly: 'Counts only: this report names nobody.',
  incidents: 'Incidents',
  incident: {
    shooting: 'Shooting',
    shelling: 'Shelling',
    medical: 'Medical',
    vehicle_breakdown: 'Vehicle breakdown',
    blocked: 'Road blocked',
    detention: 'Detention',
    halt: 'Halt',
    taken_off: 'People taken off a vehicle',
    other: 'Other',
  },
  casualty: { injured: 'People injured', killed: 'People killed', detained: 'People detained' },
  excludes: 'What the figures include and exclude',
  excludeHeadCount: (left, everyone) =>
    `${left} of those who had left (${everyone} in all) were counted by head only, in private cars, vans and pick-ups: they are in the totals but not named, and cannot be traced.`,
  excludeTurnedBack: (n) => `${n} people turned back: they are counted, but not among those who had left.`,
  excludeUnregistered: 'People never registered and never counted in a vehicle are in no figure: their number is not known.',
  sources: 'Other sources beside Corridor',
  noSources: 'No other source recorded.',
  sourceSaid: (source, qualifier, figure, claim, at) => `${source}, ${at}: ${qualifier}${figure} ${claim}.`,
  qualifier: { exactly: '', about: 'around ', more_than: 'more than ', less_than: 'fewer than ' },
  claim: {
    left: 'people had left',
    arrived: 'people had arrived',
    in_transit: 'people were on the road',
    head_count_vehicles: 'people in private cars, vans and pick-ups',
    registered: 'people registered',
  },
  corridorAtTime: (n) => `Corridor at that time: ${n}.`,
  reading: {
    same_time: 'Corridor, same thing, at the source time',
    report_time: 'Corridor, same thing, at this report time (counted at another time)',
    without_head_count: 'Corridor without the people counted by head only',
    head_count_only: 'Corridor, people counted by head only',
    with_turned_back: 'Corridor including people who turned back',
    with_in_transit: 'Corridor including people still in transit',
    without_in_transit: 'Corridor without people still in transit or missing',
  },
  closest: (what, diff) => `Closest reading: ${what} (difference ${diff}).`,
  agrees: 'The source agrees with this reading.',
  disagrees: 'The source does not agree with any reading: the difference is not explained by the facts.',
  proof: 'Proof',
  lastFact: 'Last fact counted',
  noFact: 'none yet',
  countsVerify: (ok, cells, facts, persons) =>
    `Counts verify when produced: ${ok ? 'PASSED' : 'FAILED'} (${cells} cells from ${facts} facts and ${persons} people).`,
  auditHead: 'Audit head',
  digest: 'Digest of the figures (SHA-256)',
  verifyHow: 'Check this report against the database: corridor sitrep verify FILE, or the Situation report page.',
  value: 'Number',
  figure: 'Figure',
};

const ar: SitrepLabels = {
  title: 'تقرير الوضع',
  operation: 'العملية',
  asOf: 'الأرقام حتى',
  producedAt: 'أُعدّ في',
  timeNote: (tz) => `الأيام أيام تقويمية بتوقيت ${tz}؛ الأوقات بالتوقيت العالمي.`,
  totals: 'المجاميع',
  metric: {
    registered: 'مسجّلون بانتظار النقل',
    boarded: 'صعدوا إلى المركبات',
    in_transit: 'على الطريق',
    arrived: 'وصلوا',
    missing: 'مفقودون أثناء النقل',
    turned_back: 'عادوا أدراجهم',
    everyone: 'كل من تم عدّهم',
    left: 'غادروا (على الطريق أو وصلوا أو مفقودون)',
  },
  sex: { female: 'أنثى', male: 'ذكر', unknown: 'غير معروف' },
  site: 'الموقع',
  unknownSite: '(الموقع غير معروف)',
  sexCol: 'الجنس',
  ageCol: 'العمر',
  bySite: 'حسب الموقع والجنس والعمر (الآن)',
  byDay: 'حسب اليوم',
  byDaySexAge: 'الواصلون حسب اليوم والجنس والعمر',
  day: 'اليوم',
  leftByEnd: 'غادروا حتى نهاية اليوم',
  arrivedByEnd: 'وصلوا حتى نهاية اليوم',
  moved: 'حركة الأشخاص عبر الوقت',
  movedNote: 'الخط المتصل: من غادروا. الخط المنقّط: من وصلوا. نقطة لكل ساعة شهدت تغييرًا.',
  convoys: 'القوافل',
  convoy: {
    completed: 'مكتملة',
    inTransit: 'على الطريق',
    halted: 'متوقفة',
    turnedBack: 'عادت أدراجها',
    cancelled: 'ملغاة',
    boarding: 'قيد الصعود',
    planned: 'مخطط لها',
  },
  protection: 'المفقودون والبحث عن الأسر والحماية',
  missingInTransit: 'مفقودون أثناء النقل',
  openTracing: 'طلبات بحث عن مفقودين مفتوحة',
  openAlerts: 'تنبيهات حماية مفتوحة',
  countsOnly: 'أعداد فقط: لا يذكر هذا التقرير أي اسم.',
  incidents: 'الحوادث',
  incident: {
    shooting: 'إطلاق نار',
    shelling: 'قصف',
    medical: 'حالة طبية',
    vehicle_breakdown: 'عطل مركبة',
    blocked: 'طريق مغلق',
    detention: 'احتجاز',
    halt: 'توقّف',
    taken_off: 'إنزال أشخاص من مركبة',
    other: 'أخرى',
  },
  casualty: { injured: 'الجرحى', killed: 'القتلى', detained: 'المحتجزون' },
  excludes: 'ما تشمله الأرقام وما لا تشمله',
  excludeHeadCount: (left, everyone) =>
    `${left} ممن غادروا (من أصل ${everyone}) عُدّوا بالرأس فقط في سيارات خاصة وشاحنات صغيرة وبيك أب: هم ضمن المجاميع لكن دون أسماء، ولا يمكن البحث عنهم.`,
  excludeTurnedBack: (n) => `${n} شخصًا عادوا أدراجهم: هم معدودون، لكن ليسوا ضمن من غادروا.`,
  excludeUnregistered: 'من لم يُسجَّل ولم يُعدّ في مركبة ليس في أي رقم: عددهم غير معروف.',
  sources: 'مصادر أخرى إلى جانب كوريدور',
  noSources: 'لم يُسجَّل أي مصدر آخر.',
  sourceSaid: (source, qualifier, figure, claim, at) => `${source}، ${at}: ${qualifier}${figure} ${claim}.`,
  qualifier: { exactly: '', about: 'حوالي ', more_than: 'أكثر من ', less_than: 'أقل من ' },
  claim: {
    left: 'شخص غادروا',
    arrived: 'شخص وصلوا',
    in_transit: 'شخص على الطريق',
    head_count_vehicles: 'شخص في سيارات خاصة وشاحنات صغيرة وبيك أب',
    registered: 'شخص مسجّل',
  },
  corridorAtTime: (n) => `كوريدور في ذلك الوقت: ${n}.`,
  reading: {
    same_time: 'كوريدور، الشيء نفسه، في وقت المصدر',
    report_time: 'كوريدور، الشيء نفسه، في وقت هذا التقرير (عُدّ في وقت آخر)',
    without_head_count: 'كوريدور دون من عُدّوا بالرأس فقط',
    head_count_only: 'كوريدور، من عُدّوا بالرأس فقط',
    with_turned_back: 'كوريدور مع من عادوا أدراجهم',
    with_in_transit: 'كوريدور مع من لا يزالون على الطريق',
    without_in_transit: 'كوريدور دون من لا يزالون على الطريق أو المفقودين',
  },
  closest: (what, diff) => `أقرب قراءة: ${what} (الفرق ${diff}).`,
  agrees: 'المصدر يتفق مع هذه القراءة.',
  disagrees: 'المصدر لا يتفق مع أي قراءة: الوقائع لا تفسّر الفرق.',
  proof: 'الإثبات',
  lastFact: 'آخر واقعة محسوبة',
  noFact: 'لا شيء بعد',
  countsVerify: (ok, cells, facts, persons) =>
    `التحقق من الأعداد عند الإعداد: ${ok ? 'ناجح' : 'فاشل'} (${cells} خلية من ${facts} واقعة و${persons} شخصًا).`,
  auditHead: 'رأس سجل التدقيق',
  digest: 'بصمة الأرقام (SHA-256)',
  verifyHow: 'للتحقق من هذا التقرير مقابل قاعدة البيانات: corridor sitrep verify FILE، أو صفحة تقرير الوضع.',
  value: 'العدد',
  figure: 'الرقم',
};

export const sitrepLabels: Record<SitrepLang, SitrepLabels> = { en, ar };
