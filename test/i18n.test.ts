import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE } from '../src/common/errors/error-catalogue';
import { RESOURCES } from '../src/i18n/catalogues';
import { I18nService, LANGUAGES } from '../src/i18n/i18n.service';
import { VIEWS_DIR } from '../src/web/project-paths';

type Catalogue = Record<string, unknown>;

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a catalogue as `a.b.c` → value (arrays and other non-objects are leaves). */
function leaves(catalogue: Catalogue, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of leaves(value as Catalogue, path)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

/** `{{name}}` placeholders, sorted: both languages must fill the same ones. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!))].sort();
}

const resources = RESOURCES as unknown as Record<string, Record<string, Catalogue>>;
const namespaces = Object.keys(resources['zh-CN']!).sort();

describe('message catalogues (zh-CN and en)', () => {
  it('both languages have the same namespaces', () => {
    assert.deepEqual(Object.keys(resources).sort(), [...LANGUAGES].sort());
    assert.deepEqual(Object.keys(resources.en!).sort(), namespaces);
    assert.ok(namespaces.length >= 4, `namespaces: ${namespaces.join(', ')}`);
  });

  for (const ns of namespaces) {
    it(`${ns}: every key exists in both languages (plural forms: each language has the ones it needs)`, () => {
      const zh = leaves(resources['zh-CN']![ns]!);
      const en = leaves(resources.en![ns]!);
      // A key is a plural form (places_one, places_other) when, across both languages, its base
      // has another form or exists itself; `choose_other` alone is just a name.
      const all = [...zh.keys(), ...en.keys()];
      const formsOf = (b: string): Set<string> => new Set(all.filter((k) => PLURAL_SUFFIX.test(k) && k.replace(PLURAL_SUFFIX, '') === b));
      const pluralBases = new Set(
        all.filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, '')).filter((b) => formsOf(b).size >= 2 || zh.has(b) || en.has(b)),
      );
      const isPluralForm = (k: string): boolean => PLURAL_SUFFIX.test(k) && pluralBases.has(k.replace(PLURAL_SUFFIX, ''));
      // Plural forms count as their base key; the forms themselves are checked per language below.
      const base = (keys: Iterable<string>): string[] => [...new Set([...keys].map((k) => (isPluralForm(k) ? k.replace(PLURAL_SUFFIX, '') : k)))].sort();
      const zhKeys = base(zh.keys());
      const enKeys = base(en.keys());
      assert.deepEqual(
        zhKeys.filter((k) => !enKeys.includes(k)),
        [],
        `${ns}: keys in zh-CN but not in en`,
      );
      assert.deepEqual(
        enKeys.filter((k) => !zhKeys.includes(k)),
        [],
        `${ns}: keys in en but not in zh-CN`,
      );
      for (const [lang, keys] of [['zh-CN', zh], ['en', en]] as const) {
        const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        for (const pluralBase of pluralBases) {
          for (const category of categories) {
            assert.ok(keys.has(`${pluralBase}_${category}`) || keys.has(pluralBase), `${lang} ${ns}:${pluralBase} lacks the plural form _${category}`);
          }
        }
      }
    });

    it(`${ns}: no value is empty, and both languages fill the same placeholders`, () => {
      const zh = leaves(resources['zh-CN']![ns]!);
      const en = leaves(resources.en![ns]!);
      for (const [lang, keys] of [['zh-CN', zh], ['en', en]] as const) {
        for (const [key, value] of keys) {
          assert.equal(typeof value, 'string', `${lang} ${ns}:${key} is not a text`);
          assert.notEqual((value as string).trim(), '', `${lang} ${ns}:${key} is empty`);
        }
      }
      const both = [...zh.keys()].filter((k) => en.has(k));
      for (const key of both) {
        assert.deepEqual(placeholders(String(en.get(key))), placeholders(String(zh.get(key))), `${ns}:${key}: the languages fill different placeholders`);
      }
    });
  }

  it('every error code of the API has a message in both languages', () => {
    const i18n = new I18nService();
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      for (const lang of LANGUAGES) {
        const message = resources[lang]!.errors![code];
        assert.equal(typeof message, 'string', `${lang} errors:${code} is missing`);
        assert.notEqual((message as string).trim(), '', `${lang} errors:${code} is empty`);
        assert.notEqual(i18n.t(lang, `errors:${code}`), `errors:${code}`, `${lang} errors:${code} does not translate`);
      }
    }
  });

  it('the two languages really differ (no English left in the Chinese catalogue by copy-paste)', () => {
    for (const ns of namespaces.filter((n) => n !== 'sms')) {
      const zh = leaves(resources['zh-CN']![ns]!);
      const en = leaves(resources.en![ns]!);
      const same = [...zh.keys()].filter((k) => en.has(k) && zh.get(k) === en.get(k) && /[a-z]{3}/i.test(String(zh.get(k))) && !/[\u4e00-\u9fff]/.test(String(zh.get(k))));
      // A few texts may legitimately be the same (the product name, a language's own name).
      const allowed = new Set(['language.switch_to_lang']);
      assert.deepEqual(same.filter((k) => !allowed.has(k)), [], `${ns}: zh-CN texts that are the English text`);
    }
  });

  it('every literal key the page templates ask for exists in both languages', () => {
    const templates: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.eta')) templates.push(path);
      }
    };
    walk(VIEWS_DIR);
    assert.ok(templates.length > 0, `no templates under ${VIEWS_DIR}`);
    const i18n = new I18nService();
    const missing: string[] = [];
    let checked = 0;
    for (const path of templates) {
      const source = readFileSync(path, 'utf8');
      // it.t('ns:key') or it.t('ns:key', {...}); keys built at run time ('errors:' + code) are not literal.
      for (const match of source.matchAll(/\bt\(\s*'([\w-]+:[\w.-]+)'\s*[,)]/g)) {
        const key = match[1]!;
        checked += 1;
        for (const lang of LANGUAGES) {
          const text = i18n.t(lang, key, { count: 2 });
          if (text === key || text === key.split(':')[1]) missing.push(`${lang} ${key} (${path.slice(VIEWS_DIR.length + 1)})`);
        }
      }
    }
    assert.ok(checked > 50, `only ${checked} keys found in the templates`);
    assert.deepEqual(missing, [], 'keys used by templates but missing from a catalogue');
  });
});
