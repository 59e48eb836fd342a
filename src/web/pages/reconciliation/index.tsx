/**
 * Missing, and what does not add up, in the whole operation: the reconciliation lists of every
 * convoy and site on one page, one kind at a time (`?kind=`, which the dashboard's cards open)
 * and a page at a time, each person named and linked to their record. Only for roles that may
 * read people (`person.read`): a viewer sees the dashboard's aggregates only.
 */
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { reconciliationKinds, type ReconciliationKind } from '../../../domain/reconciliation/reconcile.js';
import type { Site } from '../../api/types.js';
import { SelectField } from '../../components/field.js';
import { ReconciliationList } from '../../components/reconciliation-list.js';
import { siteMap } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

const isKind = (k: string | null): k is ReconciliationKind => !!k && (reconciliationKinds as readonly string[]).includes(k);

export default function Reconciliation() {
  const { t } = useTranslation();
  const { operation } = useOperation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('kind');
  const kind = isKind(asked) ? asked : undefined;
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  return (
    <div className="page">
      <h1>{t('reconcile.pageTitle')}</h1>
      <div className="card search-row">
        <SelectField
          label={t('reconcile.kind')}
          value={kind ?? ''}
          data-testid="reconciliation-kind"
          onChange={(e) => setParams(e.target.value ? { kind: e.target.value } : {})}
        >
          <option value="">{t('reconcile.allKinds')}</option>
          {reconciliationKinds.map((k) => (
            <option key={k} value={k}>
              {t(`reconcile.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <ReconciliationList
        scope={{}}
        sites={siteMap(sites.data)}
        kind={kind}
        pageSize={50}
        title={kind ? t(`reconcile.kinds.${kind}`) : undefined}
      />
    </div>
  );
}
