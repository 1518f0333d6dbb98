/** Who may do what through the API; apart from the request context, so that reading API keys loads nothing else. */
export const ROLES = ['admin', 'investigator', 'cdc'] as const;
/** `admin`: everything; `investigator`: read and write; `cdc`: read only, personal data masked. */
export type Role = (typeof ROLES)[number];

export interface Viewer {
  /** A short fingerprint of the API key (never the key itself), for logs and the audit log. */
  keyId: string;
  role: Role;
}
