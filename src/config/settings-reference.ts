import { KindGuard, type TSchema } from '@sinclair/typebox';
import { ConfigSchema, envName, flagName, type ConfigKey } from './config.js';
import { SETTING_SECTIONS } from './setting-sections.js';

/** The schema of one setting, with the keywords this file reads. */
function schemaOf(key: ConfigKey): TSchema {
  return ConfigSchema.properties[key];
}

/** A setting's meaning, from its `description` in the schema. */
export function settingDescription(key: ConfigKey): string {
  const description: unknown = schemaOf(key).description;
  return typeof description === 'string' ? description : '';
}

/** A setting's default as people write it: `none` for an unset one. */
export function settingDefault(key: ConfigKey): string {
  const value: unknown = schemaOf(key).default;
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return 'none';
  return String(value);
}

/** Whether a setting takes several values (a repeated flag, a comma-separated variable). */
export function isListSetting(key: ConfigKey): boolean {
  return KindGuard.IsArray(schemaOf(key));
}

/** The values a setting accepts, said briefly: `FULL, NORMAL, OFF`, `integer 0–65535`, `true or false`. */
export function settingValues(key: ConfigKey): string {
  return describeValues(schemaOf(key));
}

function describeValues(schema: TSchema): string {
  if (KindGuard.IsUnion(schema)) {
    const present = schema.anyOf.filter((member) => !KindGuard.IsNull(member));
    const literals = present.filter((member) => KindGuard.IsLiteral(member)).map((member) => String(member.const));
    if (literals.length === present.length) return literals.join(', ');
    return present.map(describeValues).join(' or ');
  }
  if (KindGuard.IsArray(schema)) return `list of ${describeValues(schema.items)}`;
  if (KindGuard.IsBoolean(schema)) return 'true or false';
  if (KindGuard.IsInteger(schema) || KindGuard.IsNumber(schema)) {
    const kind = KindGuard.IsInteger(schema) ? 'integer' : 'number';
    const { minimum, maximum } = schema;
    if (minimum !== undefined && maximum !== undefined) return `${kind} ${minimum}–${maximum}`;
    if (minimum !== undefined) return `${kind} ≥ ${minimum}`;
    return kind;
  }
  if (KindGuard.IsString(schema)) {
    if (schema.pattern !== undefined) return `text matching \`${schema.pattern}\``;
    if (schema.minLength !== undefined && schema.minLength > 1) return `text of ${schema.minLength}+ characters`;
    return 'text';
  }
  return '';
}

const GENERATED_BY = 'made from src/config/config.ts by `npm run docs:config`; a test fails when it is out of date';

/** docs/configuration.md: every setting once, by section, with its flag, variable, default, values and meaning. */
export function configurationMarkdown(): string {
  const lines = [
    '# Configuration',
    '',
    'Every setting is a command-line flag and a `TALLY_*` environment variable. A flag wins over the',
    'variable, the variable over a `.env` file in the working directory (read by every `tally` command',
    'when present; copy [`.env.example`](../.env.example)), and any of them over the default. A bad',
    'value stops the command with one line naming the flag and the variable (exit code 1).',
    '',
    '`tally serve --help` lists every setting; the help of the other commands lists only the ones that',
    'pick the database (and those the command itself uses), but they accept every setting too.',
    '',
    `<!-- This page is ${GENERATED_BY}. -->`,
  ];
  for (const section of SETTING_SECTIONS) {
    lines.push('', `## ${section.title}`, '', '| setting | flag / variable | default | values | meaning |', '|---|---|---|---|---|');
    for (const key of section.keys) {
      const flag = isListSetting(key) ? `${flagName(key)} (repeatable)` : flagName(key);
      const cells = [`\`${key}\``, `\`${flag}\`<br>\`${envName(key)}\``, `\`${settingDefault(key)}\``, settingValues(key), settingDescription(key)];
      lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}

/** .env.example: every variable commented out at its default, under its section, with its meaning. */
export function envExample(): string {
  const lines = [
    '# Tally\'s settings as environment variables; docs/configuration.md says the same with more detail.',
    '# Copy this file to .env and uncomment what you change: every `tally` command reads ./.env when present.',
    '# A variable already set in the environment wins over .env, and a flag (--port, --data-dir, …) over both.',
    `# This file is ${GENERATED_BY}.`,
  ];
  for (const section of SETTING_SECTIONS) {
    lines.push('', `# == ${section.title} ==`);
    for (const key of section.keys) {
      for (const line of wrap(settingDescription(key), 98)) lines.push(`# ${line}`);
      const value = settingDefault(key);
      lines.push(`# ${envName(key)}=${value === 'none' ? '' : value}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Every setting key, in the sections' order (for checks that each is listed once). */
export function sectionedKeys(): ConfigKey[] {
  return SETTING_SECTIONS.flatMap((section) => section.keys);
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
