import { Option, type Command } from 'commander';
import { CONFIG_KEYS, envName, flagName, loadConfig, type Config, type ConfigKey } from '../config/config.js';
import { STORE_SETTINGS } from '../config/setting-sections.js';
import { isListSetting, settingDefault, settingDescription } from '../config/settings-reference.js';

/** The parsed value of every setting flag, as commander hands it over (strings; absent when not given). */
export type ConfigFlags = Partial<Record<ConfigKey, string | string[]>>;

/**
 * Adds every setting of `config.ts` as a flag, so any command can point at any store
 * (`--data-dir`, `--database-url`, …). Derived from CONFIG_KEYS so a new setting needs no CLI
 * change. The help lists the settings that pick the store and the ones named in `uses` (what the
 * command itself reads); the others are accepted but not listed, as the server's own settings
 * mean nothing to, say, `tally product list`.
 */
export function addConfigOptions(command: Command, uses: readonly ConfigKey[] = []): Command {
  const listed = new Set<ConfigKey>([...STORE_SETTINGS, ...uses]);
  for (const key of CONFIG_KEYS) command.addOption(settingOption(key, !listed.has(key)));
  return command.addHelpText('after', '\nEvery other setting (docs/configuration.md) is accepted as a flag or TALLY_* variable too.');
}

/** Every setting as a listed flag: `tally serve`, which uses them all. */
export function addServerOptions(command: Command): Command {
  for (const key of CONFIG_KEYS) command.addOption(settingOption(key, false));
  return command.addHelpText('after', '\nEach setting in full: docs/configuration.md. A .env file in the working directory is read too.');
}

/** Each setting's help line, made once: every command adds every setting, so this runs ~70 times per key. */
const HELP_LINES: ReadonlyMap<ConfigKey, string> = new Map(
  CONFIG_KEYS.map((key) => [key, `${firstSentence(settingDescription(key))} (env ${envName(key)}, default ${settingDefault(key)})`]),
);

function settingOption(key: ConfigKey, hidden: boolean): Option {
  const option = new Option(`${flagName(key)} <value>`, HELP_LINES.get(key)).helpGroup('Settings:');
  // A setting of several values (an array in config.ts) is a repeatable flag.
  if (isListSetting(key)) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return hidden ? option.hideHelp() : option;
}

/** Settings from the parsed flags over TALLY_* variables over defaults; throws ConfigError. */
export function configFromOptions(options: ConfigFlags): Config {
  const flags: ConfigFlags = {};
  for (const key of CONFIG_KEYS) if (options[key] !== undefined) flags[key] = options[key];
  return loadConfig(flags);
}

/** The help shows a setting's first sentence without Markdown; docs/configuration.md has the rest. */
function firstSentence(description: string): string {
  const plain = description.replace(/`/g, '');
  const end = plain.search(/\.(\s+[A-Z]|$)/);
  return end === -1 ? plain : plain.slice(0, end);
}
