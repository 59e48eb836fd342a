/**
 * The report as a list of blocks — headings, paragraphs, tables, the chart, the proof — built
 * once from the figures, so the HTML and the PDF say the same thing in the same order. Blocks
 * hold finished text in the report's language; the renderers only lay it out (left to right or
 * right to left).
 */
import { ageBands, sexes } from '../schemas/persons.js';
import type { SitrepFigures } from './figures.js';
import { sitrepLabels, type SitrepLang } from './labels.js';

export interface ReportProof {
  lastFact: { id: string; receivedAt: string } | null;
  countsVerify: { ok: boolean; cells: number; facts: number; persons: number; differences: number };
  auditHead: { stream: string; n: number; hash: string } | null;
  producedAt: string;
}

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric: boolean[] }
  | { kind: 'chart'; points: { hour: string; left: number; arrived: number }[]; note: string }
  | { kind: 'proof'; lines: string[]; qr: string };

export type SiteNames = Record<string, { en: string; ar: string | null }>;

export const fmt = (n: number) => n.toLocaleString('en');
/** Left-to-right isolate: a time, an id or a hash keeps its own order inside Arabic text. */
export const ltr = (s: string) => `\u2066${s}\u2069`;
const time = (iso: string) => ltr(`${iso.slice(0, 16).replace('T', ' ')} UTC`);

/** What the QR code carries: enough to find the report's proof and check its digest. */
export function qrText(f: SitrepFigures, proof: ReportProof, digest: string): string {
  return JSON.stringify({
    f: f.format,
    op: f.operationCode,
    asOf: f.asOf,
    fact: proof.lastFact ? `${proof.lastFact.id}@${proof.lastFact.receivedAt}` : null,
    verify: proof.countsVerify.ok,
    head: proof.auditHead ? `${proof.auditHead.stream}:${proof.auditHead.n}:${proof.auditHead.hash}` : null,
    digest,
  });
}

export function reportBlocks(f: SitrepFigures, proof: ReportProof, digest: string, lang: SitrepLang, sites: SiteNames): Block[] {
  const L = sitrepLabels[lang];
  const siteName = (id: string) => (id === '' ? L.unknownSite : ((lang === 'ar' ? sites[id]?.ar : null) ?? sites[id]?.en ?? id));
  const blocks: Block[] = [
    { kind: 'title', text: `${L.title} — ${ltr(f.operationCode)}` },
    { kind: 'para', text: `${L.asOf}: ${time(f.asOf)}. ${L.producedAt}: ${time(proof.producedAt)}. ${L.timeNote(f.timeZone)}` },
    { kind: 'heading', text: L.totals },
  ];
  const totalKeys = ['left', 'arrived', 'in_transit', 'missing', 'turned_back', 'boarded', 'registered', 'everyone'] as const;
  blocks.push({
    kind: 'table',
    head: ['', L.value],
    rows: totalKeys.map((k) => [L.metric[k] ?? k, fmt(f.totals[k])]),
    numeric: [false, true],
  });

  blocks.push({ kind: 'heading', text: L.excludes });
  blocks.push({ kind: 'para', text: L.excludeHeadCount(f.excludes.headCountOnly.left, f.totals.left) });
  blocks.push({ kind: 'para', text: L.excludeTurnedBack(f.excludes.turnedBack) });
  blocks.push({ kind: 'para', text: L.excludeUnregistered });

  blocks.push({ kind: 'heading', text: L.sources });
  if (f.sources.length === 0) blocks.push({ kind: 'para', text: L.noSources });
  for (const s of f.sources) {
    blocks.push({
      kind: 'para',
      text: L.sourceSaid(s.source, L.qualifier[s.qualifier] ?? '', fmt(s.figure), L.claim[s.claims], time(s.at)),
    });
    blocks.push({
      kind: 'table',
      head: ['', L.figure, `${L.figure} − ${fmt(s.figure)}`],
      rows: s.readings.map((r) => [L.reading[r.kind], fmt(r.figure), fmt(r.difference)]),
      numeric: [false, true, true],
    });
    const closest = s.readings.find((r) => r.kind === s.closest);
    blocks.push({
      kind: 'para',
      text: `${L.closest(L.reading[s.closest], fmt(closest?.difference ?? 0))} ${s.agrees ? L.agrees : L.disagrees}`,
    });
  }

  blocks.push({ kind: 'heading', text: L.moved });
  blocks.push({ kind: 'chart', points: f.moved, note: L.movedNote });
  blocks.push({ kind: 'heading', text: L.byDay });
  blocks.push({
    kind: 'table',
    head: [L.day, L.metric.arrived ?? '', L.leftByEnd, L.arrivedByEnd],
    rows: f.byDay.map((d) => [d.day, fmt(d.flow.arrived), fmt(d.leftByEnd), fmt(d.arrivedByEnd)]),
    numeric: [false, true, true, true],
  });

  blocks.push({ kind: 'heading', text: L.convoys });
  const convoyKeys = ['completed', 'inTransit', 'halted', 'turnedBack', 'cancelled', 'boarding', 'planned'] as const;
  blocks.push({
    kind: 'table',
    head: ['', L.value],
    rows: convoyKeys.map((k) => [L.convoy[k] ?? k, fmt(f.convoys[k])]),
    numeric: [false, true],
  });

  blocks.push({ kind: 'heading', text: L.protection });
  blocks.push({
    kind: 'table',
    head: ['', L.value],
    rows: [
      [L.missingInTransit, fmt(f.missingInTransit)],
      [L.openTracing, fmt(f.openTracingRequests)],
      [L.openAlerts, fmt(f.openProtectionAlerts)],
    ],
    numeric: [false, true],
  });
  blocks.push({ kind: 'para', text: L.countsOnly });

  blocks.push({ kind: 'heading', text: L.incidents });
  blocks.push({
    kind: 'table',
    head: ['', L.value],
    rows: Object.entries(f.incidents).map(([k, n]) => [L.incident[k] ?? k, fmt(n)]),
    numeric: [false, true],
  });
  blocks.push({
    kind: 'table',
    head: ['', L.value],
    rows: (['injured', 'killed', 'detained'] as const).map((k) => [L.casualty[k], fmt(f.casualties[k])]),
    numeric: [false, true],
  });

  // Sex × age by site: one table per site, statuses as columns (arrived, in transit, waiting …).
  blocks.push({ kind: 'heading', text: L.bySite });
  const metrics = ['arrived', 'in_transit', 'missing', 'turned_back', 'boarded', 'registered'] as const;
  const siteIds = [...new Set(f.bySiteSexAge.map((r) => r.siteId))];
  for (const siteId of siteIds) {
    const rows: string[][] = [];
    for (const sex of sexes)
      for (const age of ageBands) {
        const cells = metrics.map((m) =>
          f.bySiteSexAge
            .filter((r) => r.siteId === siteId && r.sex === sex && r.ageBand === age && r.metric === m)
            .reduce((a, r) => a + r.n, 0),
        );
        if (cells.some((n) => n !== 0)) rows.push([L.sex[sex] ?? sex, age, ...cells.map(fmt)]);
      }
    blocks.push({ kind: 'para', text: `${L.site}: ${siteName(siteId)}` });
    blocks.push({
      kind: 'table',
      head: [L.sexCol, L.ageCol, ...metrics.map((m) => L.metric[m] ?? m)],
      rows,
      numeric: [false, false, ...metrics.map(() => true)],
    });
  }

  blocks.push({ kind: 'heading', text: L.byDaySexAge });
  const days = [...new Set(f.byDaySexAge.map((r) => r.day))];
  const bands = sexes.flatMap((sex) => ageBands.map((age) => ({ sex, age })));
  const usedBands = bands.filter((b) => f.byDaySexAge.some((r) => r.sex === b.sex && r.ageBand === b.age));
  blocks.push({
    kind: 'table',
    head: [L.day, ...usedBands.map((b) => `${(L.sex[b.sex] ?? b.sex).slice(0, lang === 'ar' ? 4 : 1)} ${b.age}`)],
    rows: days.map((d) => [
      d,
      ...usedBands.map((b) => fmt(f.byDaySexAge.find((r) => r.day === d && r.sex === b.sex && r.ageBand === b.age)?.arrived ?? 0)),
    ]),
    numeric: [false, ...usedBands.map(() => true)],
  });

  blocks.push({ kind: 'heading', text: L.proof });
  blocks.push({
    kind: 'proof',
    lines: [
      `${L.lastFact}: ${proof.lastFact ? `${ltr(proof.lastFact.id)} (${time(proof.lastFact.receivedAt)})` : L.noFact}`,
      L.countsVerify(proof.countsVerify.ok, proof.countsVerify.cells, proof.countsVerify.facts, proof.countsVerify.persons),
      `${L.auditHead}: ${proof.auditHead ? ltr(`${proof.auditHead.stream} #${proof.auditHead.n} ${proof.auditHead.hash}`) : '-'}`,
      `${L.digest}: ${ltr(digest)}`,
      L.verifyHow,
    ],
    qr: qrText(f, proof, digest),
  });
  return blocks;
}
