/**
 * The chain view on the API server: `/chains` (the page) and `/chains/app.js` (its bundled script)
 * are public like the explorer, since they hold no data; `/chains/data.json?asOf=&caseIds=` holds
 * the chains and needs an API key, sent as `Authorization: Bearer <key>` (the page asks for one and
 * keeps it in the tab, as the explorer does). Keys are never taken from the URL, where they would
 * end up in histories and logs. The data comes from the cached analysis; the cdc role gets it
 * masked (persons' names and homes'), and the names other roles read are audited.
 */
import { createHash } from 'node:crypto';
import { asOfFromText } from '../analysis/as-of';
import { CaseIdListError, parseCaseIdList } from '../domain/case-ids';
import { instantTextProblem } from '../domain/time';
import type { AnalysisReport, EntityLabel } from '../analysis/report-model';
import { chainViewAsset, chainViewData, chainViewPage } from '../report/chain-view';
import { isHomeLabel } from '../report/mask';
import type { ChainViewData } from '../report/chain-view';
import type { AuditLog } from './audit-log';
import type { Viewer } from './context.type';
import { ErrorCode } from './errors';
import { EXPLORER_CSP } from './explorer/explorer';
import { seesPersonalData } from './personal-data';
import type { AnalysisService } from './services/analysis.service';

export const CHAIN_VIEW_BASE = '/chains';
export const CHAIN_DATA_PATH = `${CHAIN_VIEW_BASE}/data.json`;
/** The name the audit log gives reads of the chain view's data. */
export const CHAIN_DATA_OPERATION = 'GET /chains/data.json';

export interface RouteResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** For the request log: the error code of a refusal. */
  errorCode?: string;
}

/**
 * The explorer's same-origin policy, letting through only the page's own inline event handlers
 * (e.g. `onsubmit="return false"`) by their hashes.
 */
export function chainViewCsp(html: string): string {
  const handlers = [...html.matchAll(/\son[a-z]+="([^"]*)"/g)].map((m) => m[1]!);
  if (handlers.length === 0) return EXPLORER_CSP;
  const hashes = [...new Set(handlers)].map(
    (h) => `'sha256-${createHash('sha256').update(h, 'utf8').digest('base64')}'`,
  );
  return EXPLORER_CSP.replace("script-src 'self'", `script-src 'self' 'unsafe-hashes' ${hashes.join(' ')}`);
}

const securityHeaders = (csp: string) => ({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': csp,
});

function json(status: number, body: unknown, extra: Record<string, string> = {}): RouteResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
    body: JSON.stringify(body),
  };
}

function error(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): RouteResponse {
  return { ...json(status, { errors: [{ message, extensions: { code } }] }, extra), errorCode: code };
}

/**
 * Case ids from `caseIds=`, each value read as the CLI reads `--cases` (one CSV record: an id with
 * a comma or a quote goes in double quotes, `caseIds="A,1",P2`); the parameter may be repeated.
 * Throws CaseIdListError for a value that is not one CSV record.
 */
export function caseIdsOf(params: URLSearchParams): string[] {
  return params.getAll('caseIds').flatMap((value) => parseCaseIdList(value));
}

/** The ids of the entities the view names whose label passes `named`, sorted. */
function shown(
  data: ChainViewData,
  named: (label: EntityLabel) => boolean,
  report: AnalysisReport,
): string[] {
  const ids = new Set<string>();
  const add = (id: string) => {
    const label = report.entities[id];
    if (label && label.name !== null && named(label)) ids.add(id);
  };
  for (const node of data.nodes) {
    add(node.id);
    if (node.infector) add(node.infector.id);
    for (const candidate of node.candidates) add(candidate.id);
  }
  return [...ids].sort();
}

/** Persons whose names the view shows: the cases and the persons named as infectors or candidates. */
export function personsShown(data: ChainViewData, report: AnalysisReport): string[] {
  return shown(data, (label) => label.kind === 'person', report);
}

/**
 * Homes whose names (addresses) the view shows: a home among the sources, infectors or candidates
 * (a contaminated home). Audited like the API's Place.name of a home.
 */
export function homesShown(data: ChainViewData, report: AnalysisReport): string[] {
  return shown(data, isHomeLabel, report);
}

export class ChainViewRoutes {
  private readonly pageHtml = chainViewPage({ base: CHAIN_VIEW_BASE });
  private readonly csp = chainViewCsp(this.pageHtml);

  constructor(
    private readonly analysis: AnalysisService,
    private readonly audit: AuditLog,
    /** Where the bundled script is (default: dist-assets/ of the project, or TRACEGRAPH_ASSETS_DIR). */
    private readonly assetsDir?: string,
  ) {}

  page(): RouteResponse {
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        ...securityHeaders(this.csp),
      },
      body: this.pageHtml,
    };
  }

  /** `app.js`, or 404 when there is no such asset or it was not built. */
  asset(name: string): RouteResponse {
    const asset = chainViewAsset(name, this.assetsDir);
    if (!asset) {
      const message =
        name === 'app.js'
          ? 'The chain view script is not built: run `npm run build`.'
          : `No asset ${JSON.stringify(name)}.`;
      return { ...json(404, { error: message }), errorCode: 'NOT_FOUND' };
    }
    return {
      status: 200,
      headers: { 'content-type': asset.type, 'cache-control': 'no-cache', ...securityHeaders(this.csp) },
      body: asset.body,
    };
  }

  /** The chain data for a viewer (null: no valid key), from `asOf` and `caseIds` in the query string. */
  async data(
    viewer: Viewer | null,
    params: URLSearchParams,
    at: number = Date.now(),
  ): Promise<RouteResponse> {
    if (!viewer) {
      return error(
        401,
        ErrorCode.UNAUTHENTICATED,
        'A valid API key is required: send "Authorization: Bearer <key>".',
        {
          'www-authenticate': 'Bearer realm="tracegraph"',
        },
      );
    }
    const asOfText = params.get('asOf');
    let asOf: number | null = null;
    if (asOfText !== null && asOfText.trim() !== '') {
      asOf = asOfFromText(asOfText);
      if (asOf === null) {
        return error(
          400,
          ErrorCode.BAD_USER_INPUT,
          `asOf: "${asOfText}" ${instantTextProblem(asOfText.trim(), true)}`,
        );
      }
    }
    let caseIds: string[];
    try {
      caseIds = caseIdsOf(params);
    } catch (err) {
      if (!(err instanceof CaseIdListError)) throw err;
      return error(400, ErrorCode.BAD_USER_INPUT, `caseIds: ${err.message}`);
    }
    const outbreak = await this.analysis.get({ asOf });
    const report = outbreak.report();
    const known = new Set(report.cases.map((c) => c.personId));
    const unknown = caseIds.filter((id) => !known.has(id));
    if (unknown.length) {
      return error(
        400,
        ErrorCode.BAD_USER_INPUT,
        `caseIds: ${unknown.map((id) => JSON.stringify(id)).join(', ')} ${unknown.length === 1 ? 'is not a case' : 'are not cases'} as of ${report.asOf}`,
      );
    }
    const mask = !seesPersonalData(viewer.role);
    const data = chainViewData(report, { caseIds, mask });
    if (!mask) {
      const personIds = personsShown(data, report);
      const placeIds = homesShown(data, report);
      if (personIds.length || placeIds.length) {
        this.audit.append({
          at,
          keyId: viewer.keyId,
          role: viewer.role,
          operationName: CHAIN_DATA_OPERATION,
          personIds,
          placeIds,
          fields: ['name'],
        });
      }
    }
    return json(200, data);
  }
}
