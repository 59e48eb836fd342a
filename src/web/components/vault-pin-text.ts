/**
 * The words of the PIN form (components/vault-pin.tsx) in English and Arabic, added to the
 * translations when the form's chunk loads: kept out of src/web/i18n/en.ts and ar.ts, which load
 * with every desk, so the reception desk's first load stays within its budget.
 */
export const vaultPinText = {
  en: {
    summarySet: 'PIN of this phone: set',
    summaryNone: 'PIN of this phone: not set',
    explain:
      'With a PIN, the names kept on this phone (registrations not sent yet, the list of expected people, the households to board) can be opened after the app was reloaded with no network. {{n}} wrong PINs in a row erase them from this phone.',
    pin: 'PIN (6 to 12 digits)',
    repeat: 'The same PIN again',
    set: 'Set the PIN',
    change: 'Change the PIN',
    saved: 'The PIN is set on this phone.',
    mismatch: 'The two PINs are not the same.',
    problems: { digits: 'Digits only.', short: 'At least 6 digits.', long: 'At most 12 digits.' },
    needsNetwork: 'Setting the PIN needs the network: try again when the server answers.',
    unlockTitle: 'The names on this phone are locked',
    unlockExplain: "The app was reloaded with no network. Enter this phone's PIN to open the names kept on it.",
    unlock: 'Open with the PIN',
    wrong: 'Wrong PIN: {{n}} tries left before the names kept on this phone are erased.',
    wiped: 'Too many wrong PINs: the names kept on this phone were erased.',
    unlocked: 'Opened with the PIN: the names kept on this phone can be used until the app is closed.',
  },
  ar: {
    summarySet: 'الرقم السري لهذا الهاتف: مُعيَّن',
    summaryNone: 'الرقم السري لهذا الهاتف: غير مُعيَّن',
    explain:
      'بالرقم السري يمكن فتح الأسماء المحفوظة على هذا الهاتف (التسجيلات التي لم تُرسل بعد، وقائمة الأشخاص المتوقَّعين، والأسر المنتظرة للصعود) بعد إعادة تحميل التطبيق دون شبكة. {{n}} أرقام سرية خاطئة متتالية تمحوها من هذا الهاتف.',
    pin: 'الرقم السري (من 6 إلى 12 رقمًا)',
    repeat: 'الرقم السري نفسه مرة أخرى',
    set: 'عيّن الرقم السري',
    change: 'غيّر الرقم السري',
    saved: 'عُيّن الرقم السري على هذا الهاتف.',
    mismatch: 'الرقمان السريان غير متطابقين.',
    problems: { digits: 'أرقام فقط.', short: '6 أرقام على الأقل.', long: '12 رقمًا على الأكثر.' },
    needsNetwork: 'تعيين الرقم السري يحتاج إلى الشبكة: حاول مجددًا عندما يجيب الخادم.',
    unlockTitle: 'الأسماء على هذا الهاتف مقفلة',
    unlockExplain: 'أُعيد تحميل التطبيق دون شبكة. أدخل الرقم السري لهذا الهاتف لفتح الأسماء المحفوظة عليه.',
    unlock: 'افتح بالرقم السري',
    wrong: 'رقم سري خاطئ: بقيت {{n}} محاولات قبل محو الأسماء المحفوظة على هذا الهاتف.',
    wiped: 'أرقام سرية خاطئة كثيرة: مُحيت الأسماء المحفوظة على هذا الهاتف.',
    unlocked: 'فُتح بالرقم السري: يمكن استعمال الأسماء المحفوظة على هذا الهاتف حتى يُغلق التطبيق.',
  },
};
