/** What a blocklist entry matches: the client's address, or a report's user_identifier or license_key. */
export const BLOCK_KINDS = ['ip', 'user_identifier', 'license_key'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** One entry of the blocklist (docs/security.md, "Blocklist"). */
export interface BlockEntry {
  id: number;
  kind: BlockKind;
  /** An IP or CIDR for `ip`; the trimmed identifier or key otherwise, matched in its blockMatchForm (model/block-match.ts). */
  value: string;
  /** The product the entry applies to; null = every product. */
  product_id: number | null;
  reason: string | null;
  /** A user_identifier or license_key entry that matches whatever the case (`Pirate` for `pirate`); always false for `ip`. */
  ignore_case: boolean;
  created_at: string;
}

export type NewBlockEntry = Omit<BlockEntry, 'id' | 'created_at'>;
