/**
 * The blank paper registration form, in Arabic (right-to-left) or English (`?lang=`): one sheet
 * per household, with the desk's own fields — read from the registration contract through
 * src/domain/paper/registration-form.ts, so a field added to the desk appears here too — and
 * boxes to copy each wristband's code. Filled forms are typed in later at the desk ("Entering
 * paper forms"), at the time written on them.
 */
import type { TFunction } from 'i18next';
import { carriedEquipment } from '../../../domain/schemas/persons.js';
import { householdPaperFields, memberPaperFields, PAPER_MEMBER_ROWS, type PaperField } from '../../../domain/paper/registration-form.js';
import { useOperation } from '../../session/operation.js';
import { PrintFrame, usePaperLang } from './print-frame.js';

/** The label of each field on paper: the desk's own label. */
const labels: Record<string, string> = {
  relationship: 'registration.relationship',
  sex: 'registration.sex',
  estimatedAge: 'registration.age',
  dateOfBirth: 'registration.dob',
  vulnerabilities: 'registration.vulnerabilities',
  consent: 'registration.consent',
  tag: 'registration.tag',
  carried: 'registration.carried',
  notes: 'registration.notes',
};
/** Where a choice field's options are named. */
const optionLabels: Record<string, string> = { relationship: 'relationships', sex: 'sex', vulnerabilities: 'vulnerabilities' };
const yesNoLabels: Record<string, string> = { tracing: 'registration.consentTracing', disclosure: 'registration.consentDisclosure' };

function Boxes({ n, testId }: { n: number; testId?: string }) {
  return (
    <span className="paper-boxes" dir="ltr" data-testid={testId}>
      {Array.from({ length: n }, (_, i) => (
        <span key={i} className="paper-box" />
      ))}
    </span>
  );
}

function Tick({ label }: { label: string }) {
  return (
    <span className="paper-choice">
      <span className="paper-box small" aria-hidden="true" /> {label}
    </span>
  );
}

function FieldOnPaper({ f, pt }: { f: PaperField; pt: TFunction }) {
  const label = pt(labels[f.key] ?? f.key);
  switch (f.kind) {
    case 'names':
      return (
        <table className="paper-table paper-names">
          <thead>
            <tr>
              <th scope="col" />
              {f.parts.map((p) => (
                <th key={p} scope="col">
                  {pt(`names.${p}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {f.scripts.map((s) => (
              <tr key={s}>
                <th scope="row">{pt(s === 'ar' ? 'names.arabic' : 'names.latin')}</th>
                {f.parts.map((p) => (
                  <td key={p} className="paper-write" />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'choice':
      return (
        <div className="paper-field" data-field={f.key}>
          <strong>{label}</strong> <span className="paper-hint">({pt(f.many ? 'paper.tickAny' : 'paper.tickOne')})</span>{' '}
          {f.options.map((o) => (
            <Tick key={o} label={pt(`${optionLabels[f.key] ?? f.key}.${o}`)} />
          ))}
        </div>
      );
    case 'yes_no':
      return (
        <div className="paper-field" data-field={f.key}>
          <strong>{label}</strong>{' '}
          {f.items.map((item) => (
            <span key={item} className="paper-yesno">
              {pt(yesNoLabels[item] ?? item)}: <Tick label={pt('app.yes')} /> <Tick label={pt('app.no')} />
            </span>
          ))}
        </div>
      );
    case 'tag':
      return (
        <div className="paper-field" data-field={f.key}>
          <strong>{label}</strong> <span className="paper-hint">({pt('paper.tagBoxes')})</span>{' '}
          <span className="paper-boxes" dir="ltr" data-testid="tag-boxes">
            <Boxes n={3} />
            <span className="paper-dash">-</span>
            <Boxes n={f.boxes - 3} />
          </span>
        </div>
      );
    case 'write':
      // What travels with the person: the desk's equipment to tick, and the pieces of luggage and pets to count.
      if (f.key === 'carried')
        return (
          <div className="paper-field" data-field={f.key}>
            <strong>{label}</strong> <span className="paper-hint">({pt('paper.tickAny')})</span>{' '}
            {carriedEquipment.map((o) => (
              <Tick key={o} label={pt(`carried.${o}`)} />
            ))}{' '}
            <span className="paper-choice">
              {pt('carried.luggage')} <Boxes n={2} />
            </span>{' '}
            <span className="paper-choice">
              {pt('carried.pets')} <Boxes n={2} />
            </span>
          </div>
        );
      return (
        <div className="paper-field" data-field={f.key}>
          <strong>{label}</strong> {f.boxes >= 12 ? <span className="paper-line" /> : <Boxes n={f.boxes} />}
        </div>
      );
  }
}

export default function BlankRegistrationForm() {
  const { lang, pt } = usePaperLang();
  const { operation } = useOperation();
  const opName = lang === 'ar' && operation.nameAr ? operation.nameAr : operation.nameEn;
  const member = memberPaperFields();
  return (
    <PrintFrame lang={lang} testId="registration-form">
      <h1>{pt('paper.formTitle')}</h1>
      <p className="paper-hint">
        {opName} · <span dir="ltr">{operation.code}</span>
      </p>
      <p className="paper-hint">{pt('paper.formIntro')}</p>
      <div className="paper-field">
        <strong>{pt('paper.formTime')}</strong> <span className="paper-hint">{pt('paper.formDate')}</span> <Boxes n={2} />
        <span className="paper-dash">/</span>
        <Boxes n={2} />
        <span className="paper-dash">/</span>
        <Boxes n={4} /> <span className="paper-hint">{pt('paper.formClock')}</span> <Boxes n={2} />
        <span className="paper-dash">:</span>
        <Boxes n={2} />
      </div>
      <div className="paper-field">
        <strong>{pt('paper.formSite')}</strong> <span className="paper-line" />
      </div>
      <div className="paper-field">
        <strong>{pt('paper.formRegistrar')}</strong> <span className="paper-line" />
      </div>
      {householdPaperFields().map((f) => (
        <FieldOnPaper key={f.key} f={f} pt={pt} />
      ))}
      {Array.from({ length: PAPER_MEMBER_ROWS }, (_, i) => (
        <section key={i} className="paper-member" data-testid="paper-member">
          <h2>{pt('paper.member', { n: i + 1 })}</h2>
          {member.map((f) => (
            <FieldOnPaper key={f.key} f={f} pt={pt} />
          ))}
        </section>
      ))}
      <div className="paper-field">
        <strong>{pt('paper.formEntered')}</strong> <span className="paper-line" />
      </div>
    </PrintFrame>
  );
}
