import type pg from 'pg';
import type { QueryOptions } from './sql.js';

/**
 * Most statement texts one pool names. Every text named stays prepared on each connection that
 * ran it, for the connection's life (node-postgres never deallocates), so the count is bounded even
 * if a caller wrongly marks texts that vary; past it, statements run unnamed.
 */
const MOST_NAMES = 1_000;

/**
 * Names for the statements marked `prepared` (see QueryOptions): node-postgres parses a named
 * statement once per connection and PostgreSQL keeps its plan, so running it again is one Bind and
 * Execute. One text, one name, on every connection of the pool.
 */
export class PreparedStatementNames {
  private readonly names = new Map<string, string>();

  /** The query for node-postgres: named when `options.prepared` and a name is (or can be) given. */
  statement(text: string, params: readonly unknown[], options: QueryOptions | undefined): pg.QueryConfig<unknown[]> {
    const values = params as unknown[];
    if (!options?.prepared) return { text, values };
    let name = this.names.get(text);
    if (name === undefined) {
      if (this.names.size >= MOST_NAMES) return { text, values };
      name = `tributary_${this.names.size + 1}`;
      this.names.set(text, name);
    }
    return { name, text, values };
  }
}
