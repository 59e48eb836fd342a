/** Arabic message catalogue. Typed against the English one, so a missing key fails the build. */
import type { Messages } from './en.js';

type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };

export const ar: Catalogue<Messages> = {
  app: { name: 'الممرّ', tagline: 'كل شخص، في كل خطوة من الطريق', skip: 'انتقل إلى المحتوى', loading: 'جارٍ التحميل…', language: 'English', languageLabel: 'التبديل إلى الإنجليزية', menu: 'المكاتب', logout: 'تسجيل الخروج', changeOperation: 'تغيير العملية', notAllowed: 'دورك لا يتيح الوصول إلى هذا المكتب.', notFound: 'لا يوجد شيء في هذا العنوان.', retry: 'أعد المحاولة', save: 'حفظ', cancel: 'إلغاء', close: 'إغلاق', yes: 'نعم', no: 'لا', none: 'لا شيء', optional: 'اختياري', required: 'مطلوب', saved: 'تم الحفظ', refresh: 'تحديث', signedInAs: 'مسجّل الدخول باسم {{name}}' },
  login: { title: 'تسجيل الدخول', username: 'اسم المستخدم', password: 'كلمة المرور', submit: 'دخول', failed: 'فشل تسجيل الدخول' },
  operations: { title: 'اختر عملية', empty: 'ليس لديك دور في أي عملية بعد. اطلب ذلك من المسؤول.', yourRoles: 'أدوارك', open: 'فتح', create: 'عملية جديدة', code: 'الرمز', nameEn: 'الاسم (بالإنجليزية)', nameAr: 'الاسم (بالعربية)', timeZone: 'المنطقة الزمنية', status: 'الحالة', created: 'أُنشئت العملية' },
  desks: { dashboard: 'لوحة المتابعة', registration: 'التسجيل', convoys: 'القوافل', checkpoint: 'نقطة التفتيش', reception: 'الاستقبال', tracing: 'البحث عن المفقودين', duplicates: 'السجلات المكرّرة', persons: 'البحث عن شخص', users: 'المستخدمون', staff: 'الموظفون والأدوار', sites: 'المواقع', tagRanges: 'الأساور', devices: 'الأجهزة', admin: 'الإدارة' },
  waiting: { title: 'هذا المكتب لم يُبنَ بعد', body: 'ستستخدم هذه الصفحة {{what}}؛ وإلى أن تُبنى لا تفعل شيئًا ولا تدّعي غير ذلك.', apis: { convoys: 'واجهة القوافل والمركبات وقوائم الركاب', checkpoint: 'واجهة وقائع نقاط التفتيش', reception: 'واجهة تسجيل الوصول', tracing: 'واجهة طلبات البحث عن المفقودين', duplicates: 'واجهة مراجعة السجلات المكرّرة', counts: 'واجهة الأعداد' } },
  roles: { admin: 'مسؤول النظام', coordinator: 'منسّق', registrar: 'مسجّل', convoy_officer: 'مسؤول القوافل', checkpoint_monitor: 'مراقب نقطة تفتيش', reception_officer: 'مسؤول استقبال', tracing_officer: 'مسؤول البحث عن المفقودين', viewer: 'مُطّلع' },
  siteKinds: { origin: 'منطقة الانطلاق', assembly_point: 'نقطة تجمّع', checkpoint: 'نقطة تفتيش', reception_centre: 'مركز استقبال', camp: 'مخيّم', hospital: 'مستشفى' },
  sex: { female: 'أنثى', male: 'ذكر', unknown: 'غير معروف' },
  relationships: { head: 'ربّ الأسرة', spouse: 'زوج/زوجة', child: 'ابن/ابنة', parent: 'أب/أم', sibling: 'أخ/أخت', grandchild: 'حفيد/حفيدة', grandparent: 'جد/جدة', other_relative: 'قريب آخر', unrelated: 'بلا قرابة' },
  vulnerabilities: { wounded: 'جريح', sick: 'مريض', chronic_illness: 'مرض مزمن', disability: 'إعاقة', pregnant: 'حامل', lactating: 'مرضع', older_person: 'مسنّ', unaccompanied_child: 'طفل غير مصحوب', separated_child: 'طفل منفصل عن ذويه', single_caregiver: 'معيل وحيد', mental_health: 'صحة نفسية' },
  statuses: { planning: 'قيد التخطيط', active: 'جارية', closed: 'مغلقة' },
  names: { arabic: 'الاسم بالحروف العربية', latin: 'الاسم بالحروف اللاتينية', given: 'الاسم', father: 'اسم الأب', grandfather: 'اسم الجد', family: 'الكنية' },
  registration: {
    title: 'مكتب التسجيل', householdStep: '١. الأسرة', membersStep: '٢. الأفراد', site: 'موقع التسجيل', notes: 'ملاحظات عن الأسرة', start: 'بدء تسجيل الأسرة',
    memberN: 'الفرد {{n}}', relationship: 'صلة القرابة', sex: 'الجنس', age: 'العمر التقديري (بالسنوات)', dob: 'تاريخ الميلاد', vulnerabilities: 'أوجه الضعف',
    consent: 'الموافقة', consentTracing: 'يوافق على البحث عنه', consentDisclosure: 'يوافق على إبلاغ عائلته', tag: 'رمز السوار', tagHint: 'امسح الرمز أو اكتبه، مثل 34C-9XH7',
    tagOk: 'الرمز {{tag}} صحيح', saveMember: 'حفظ الفرد', saveHint: 'مفتاح الإدخال يحفظ الفرد ويبدأ التالي.', finish: 'إنهاء الأسرة', newHousehold: 'الأسرة التالية',
    saved: 'الأفراد المحفوظون', household: 'الأسرة {{id}}', noSites: 'لا يوجد موقع تسجيل لهذه العملية بعد. يضيف المسؤول المواقع من صفحة المواقع.',
    duplicates: 'سجلات قد تكون مكرّرة', duplicatesWaiting: 'ستظهر هنا السجلات المحتمل تكرارها قبل الحفظ حين يوفّرها الخادم.', duplicatesNone: 'لا توجد سجلات مكرّرة محتملة.',
    memberSaved: 'حُفظ {{name}}', needName: 'أدخل الاسم أو الكنية على الأقل، بالعربية أو باللاتينية.', tagReasons: { length: 'رمز السوار من ٧ محارف (XXX-XXXX)؛ هذا فيه {{n}}.', character: 'المحرف رقم {{n}} لا يُستخدم في الرموز: تحقّق من السوار.', check: 'الرمز غير صحيح: أحد المحارف مكتوب خطأ.' },
  },
  persons: { title: 'البحث عن شخص', query: 'الاسم أو الرمز', search: 'بحث', none: 'لم يُعثر على أحد.', record: 'سجل الشخص', household: 'الأسرة', registered: 'تاريخ التسجيل', ageBand: 'الفئة العمرية', back: 'العودة إلى البحث' },
  admin: {
    users: 'المستخدمون', newUser: 'مستخدم جديد', username: 'اسم المستخدم', displayName: 'الاسم الظاهر', password: 'كلمة المرور (١٢ محرفًا أو أكثر)', isAdmin: 'مسؤول النظام', locale: 'اللغة',
    staff: 'الموظفون والأدوار', user: 'الحساب', rolesFor: 'أدوار {{name}}', setRoles: 'تعيين الأدوار', addStaff: 'منح حساب أدوارًا', userId: 'معرّف الحساب',
    sites: 'المواقع', newSite: 'موقع جديد', siteId: 'معرّف الموقع (قصير، بأحرف صغيرة)', kind: 'النوع', nameEn: 'الاسم (بالإنجليزية)', nameAr: 'الاسم (بالعربية)', lat: 'خط العرض', lon: 'خط الطول', capacity: 'السعة',
    tagRanges: 'نطاقات الأساور', allocate: 'تخصيص نطاق', count: 'عدد الرموز', label: 'التسمية', site: 'الموقع', anySite: '— أي موقع —', from: 'من', to: 'إلى', allocated: 'تاريخ التخصيص', sheet: 'ورقة الأساور (PDF)', making: 'جارٍ إعداد الملف…', sheetMax: 'تتسع الورقة لـ {{n}} رمز على الأكثر؛ خصّص نطاقات أصغر للطباعة.',
    devices: 'الأجهزة', newDevice: 'تسجيل جهاز', deviceName: 'اسم الجهاز', deviceRole: 'دور الجهاز', revoke: 'إلغاء', revoked: 'ملغى', active: 'فعّال', token: 'رمز الجهاز — انسخه الآن، فلن يظهر مرة أخرى', tokenFor: 'رمز {{name}}',
  },
  dashboard: { title: 'لوحة المتابعة', registered: 'مسجّلون', inTransit: 'في الطريق', arrived: 'وصلوا', missing: 'مفقودون', sexAge: 'الجنس والعمر', overTime: 'عدد من نُقلوا عبر الزمن', perSite: 'الواصلون والإشغال في كل موقع', map: 'خريطة المواقع والطرق والقوافل', live: 'مباشر', offline: 'غير مباشر', sitesOnMap: '{{n}} مواقع', occupancy: 'الإشغال', basemapNote: 'الخريطة الأساسية: Natural Earth (مضمّنة، تعمل دون اتصال)' },
  convoys: { title: 'لوحة القوافل' },
  checkpoint: { title: 'سجل نقطة التفتيش' },
  reception: { title: 'الاستقبال', scan: 'الرمز', scanHint: 'امسح السوار أو اكتب رمزه', find: 'بحث', checkIn: 'تسجيل الوصول', notFound: 'لا أحد يحمل هذا الرمز.', camera: 'المسح بالكاميرا', alertUasc: 'طفل غير مصحوب أو منفصل عن ذويه: أحِله إلى حماية الطفل فورًا.' },
  tracing: { title: 'مكتب البحث عن المفقودين' },
  duplicatesDesk: { title: 'مراجعة السجلات المكرّرة' },
  errors: { network: 'تعذّر الوصول إلى الخادم. تحقّق من الاتصال وأعد المحاولة.', unknown: 'حدث خطأ ما.', forbidden: 'دورك لا يسمح بذلك.' },
};
