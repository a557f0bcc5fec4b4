/**
 * Which command-line words produced which part of a request, so a refusal can name the
 * argument at fault: `mtu 10`, `peer name veth1`, `dev veth0`. Parsers note each option under
 * every name an error may use for it: the library's field (`mtu`, `peer.name`, a
 * ValidationError's `field`) and the kernel attribute path (`mtu`, `linkinfo.data.peer.ifname`,
 * a NetlinkError's `attribute`).
 */

export class TokenMap {
  private readonly byKey = new Map<string, string>();
  /** The words naming the object the command is about (`veth0`, `10.0.0.1/24 dev veth0`). */
  subject: string | undefined;

  /** Record that `text` (the words as typed) set the fields/attributes `keys`. */
  note(keys: string | readonly string[], text: string): void {
    for (const key of typeof keys === 'string' ? [keys] : keys) this.byKey.set(key, text);
  }

  /**
   * The words behind a field or attribute path. A path not noted itself falls back to its
   * closest noted parent (`linkinfo.data.peer.mtu` → `linkinfo.data.peer`), then to a noted
   * path ending in its last component (the library's `name` vs the kernel's `ifname`).
   */
  find(path: string | undefined): string | undefined {
    if (path === undefined || path === '') return undefined;
    const exact = this.byKey.get(path);
    if (exact !== undefined) return exact;
    const parts = path.split('.');
    for (let n = parts.length - 1; n > 0; n--) {
      const parent = this.byKey.get(parts.slice(0, n).join('.'));
      if (parent !== undefined) return parent;
    }
    return undefined;
  }

  /**
   * The noted words a kernel message mentions, for refusals that come with text but no
   * attribute offset: "mtu less than device minimum" names `mtu 10`, "Invalid prefsrc address"
   * names `src 10.9.9.9` (noted under `prefsrc`). The typed keyword and every field or attribute
   * name noted for the words count; the longest one found as a whole word wins.
   */
  mentionedIn(message: string | undefined): string | undefined {
    if (message === undefined) return undefined;
    const lower = message.toLowerCase();
    let best: { word: string; text: string } | undefined;
    for (const [key, text] of this.byKey) {
      for (const word of [text.split(' ')[0]!, key.split('.').pop()!]) {
        const w = word.toLowerCase();
        if (w.length < 3 || !new RegExp(`\\b${escapeRegExp(w)}\\b`).test(lower)) continue;
        if (best === undefined || w.length > best.word.length) best = { word: w, text };
      }
    }
    return best?.text;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
