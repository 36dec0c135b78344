/**
 * Matching an element's `technology` (`Apache HTTP Server 2.4.49`, `nginx 1.20.1`, `Tomcat 9`) with the
 * products of CISA's KEV catalog. KEV names a vendor and a product, never versions: a match says "known
 * exploited vulnerabilities exist for this product; check your version".
 *
 * Both sides become sets of words: lower case, split at spaces and punctuation (`PAN-OS` -> pan, os), versions
 * dropped (`1.20.1`, `v2`, `2019`), a digit glued to a name dropped (`Log4j2` -> log4j), and words too
 * generic to tell products apart dropped (server, software, multiple, products, and, ...). A technology
 * matches an entry when
 * - it names the entry's vendor (all of the vendor's words) and what is left of it names the product: its
 *   words are all among the product's words (`Apache Tomcat` -> Apache / Tomcat; `Microsoft Exchange` ->
 *   Microsoft / Exchange Server); when nothing is left (`Git 2.40`), the vendor's own name is the product's
 *   name (Git / Git);
 * - or it names no vendor of the catalog and its words are all among the product's (`Tomcat 9`, `Confluence`);
 * and, either way, one of its words starts the product's name, or a part of it (`Firefox and Thunderbird`,
 * `Bourne-Again Shell (Bash)`): `ASP.NET Core` does not match `Telerik UI for ASP.NET AJAX`.
 * A technology that names a vendor is never matched with another vendor's products.
 */
import type { KevEntry } from './types';

const GENERIC = new Set([
  'and', 'or', 'the', 'for', 'of', 'on', 'in', 'with', 'by', 'a', 'an', 'to',
  'server', 'servers', 'software', 'service', 'services', 'multiple', 'products', 'product', 'devices', 'device',
  'edition', 'community', 'enterprise', 'professional', 'standard', 'version', 'release', 'ce', 'ee', 'lts',
  'os', 'platform', 'system', 'systems', 'suite', 'application', 'applications', 'app', 'apps', 'web', 'api',
  'gateway', 'gateways', 'appliance', 'appliances', 'framework', 'library', 'module', 'plugin', 'plugins',
  'component', 'components', 'client', 'cloud', 'data', 'center', 'open', 'source', 'latest', 'stable',
  'x64', 'x86', 'amd64', 'arm64', 'linux-x64', 'alpine', 'slim', 'bookworm', 'bullseye', 'buster', 'jammy', 'focal',
]);

/** A version-like word: `1.20.1`, `v2`, `2019`, `9.x`, `r2`. */
const VERSION = /^(?:v|r)?\d[\w.+~-]*$|^\d+(?:\.\d+)*\.?x$/i;

/** The words of a name: lower case, split at punctuation, versions and generic words dropped. */
export function productWords(s: string, keepGeneric = false): string[] {
  const out: string[] = [];
  for (const raw of s.toLowerCase().split(/[\s/:,;()[\]{}"'`|@!?*+=<>&]+|(?<=\w)-(?=\D)|_/)) {
    let w = raw.replace(/^[.\-#]+|[.\-#]+$/g, '');
    if (!w || VERSION.test(w)) continue;
    // `log4j2` -> `log4j`, `python3` -> `python`: a digit glued to a name is a major version.
    const stripped = w.replace(/(?<=[a-z]{2,}[a-z0-9]*[a-z])\d+$/, '');
    if (stripped.length >= 3) w = stripped;
    if (!keepGeneric && GENERIC.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** The version written in a technology (`nginx 1.20.1` -> 1.20.1), for messages. */
export function technologyVersion(s: string): string | undefined {
  return s.split(/[\s/:@,]+/).find(w => /^v?\d+(?:\.\d+)+[\w.+~-]*$/i.test(w));
}

interface Indexed {
  entry: KevEntry;
  words: Set<string>;
  /** The words a product's name starts with (of each part, for `Firefox and Thunderbird`, `Bourne-Again Shell (Bash)`). */
  heads: Set<string>;
}

/** The first word of each part of a product name: parts split at `and`, commas, slashes and parentheses. */
function headWords(product: string): Set<string> {
  const out = new Set<string>();
  const inner = [...product.matchAll(/\(([^()]*)\)/g)].map(m => m[1]);
  for (const part of [...product.replace(/\([^()]*\)/g, ' ').split(/\band\b|[,/]/i), ...inner]) {
    const w = productWords(part)[0];
    if (w) out.add(w);
  }
  return out;
}

/** The KEV entries of one or more catalogs, indexed by word for matching technologies. */
export class KevIndex {
  private readonly byWord = new Map<string, Indexed[]>();
  /** vendor words (joined) -> the vendor's words, for every vendor of the catalog. */
  private readonly vendors = new Map<string, string[]>();
  private readonly byCve = new Map<string, KevEntry>();
  readonly size: number;

  constructor(entries: readonly KevEntry[]) {
    for (const entry of entries) {
      if (this.byCve.has(entry.cve)) continue;
      this.byCve.set(entry.cve, entry);
      const vendor = productWords(entry.vendor);
      const vkey = vendor.join(' ');
      if (vkey && !this.vendors.has(vkey)) this.vendors.set(vkey, vendor);
      const words = new Set(productWords(entry.product));
      if (!words.size) continue; // "Multiple Products": nothing a technology can name
      const item = { entry, words, heads: headWords(entry.product) };
      for (const w of words) {
        const list = this.byWord.get(w);
        if (list) list.push(item);
        else this.byWord.set(w, [item]);
      }
    }
    this.size = this.byCve.size;
  }

  /** The KEV entry of a CVE id. */
  cve(id: string): KevEntry | undefined {
    return this.byCve.get(id.toUpperCase());
  }

  /** The entries whose product the technology names (see the file's comment), by CVE id. */
  match(technology: string): KevEntry[] {
    const words = productWords(technology);
    if (!words.length) return [];
    const all = new Set(words);
    const named = [...this.vendors.entries()].filter(([, v]) => v.length && v.every(w => all.has(w)));
    let candidates: { name: string[]; vendors?: Set<string> }[];
    if (named.length) {
      candidates = named.map(([key, v]) => {
        const rest = words.filter(w => !v.includes(w));
        return { name: rest.length ? rest : v, vendors: new Set([key]) };
      });
    } else {
      candidates = [{ name: words }];
    }
    const out = new Map<string, KevEntry>();
    for (const c of candidates) {
      const first = c.name[0];
      for (const item of this.byWord.get(first) ?? []) {
        if (c.vendors && !c.vendors.has(productWords(item.entry.vendor).join(' '))) continue;
        if (c.name.every(w => item.words.has(w)) && c.name.some(w => item.heads.has(w))) out.set(item.entry.cve, item.entry);
      }
    }
    return [...out.values()].sort((a, b) => (b.dateAdded || '').localeCompare(a.dateAdded || '') || a.cve.localeCompare(b.cve));
  }
}
