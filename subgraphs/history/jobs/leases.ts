import type { SqlClient } from '../../shared/database/sql.js';

/**
 * Job leases in `history_analysis_leases`: a runner owns a job while its lease is unexpired and
 * renews it by heartbeats. A crashed runner stops renewing, and another takes the job over once
 * the lease expired. Times are the database's, so runners on different hosts agree.
 */
export class JobLeases {
  constructor(
    private readonly sql: SqlClient,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Takes the job if nobody holds an unexpired lease on it (or we already do). */
  async claim(jobId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO history_analysis_leases AS l (job_id, owner, expires_at)
       VALUES ($1, $2, now() + $3::int * interval '1 millisecond')
       ON CONFLICT (job_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
       RETURNING job_id`,
      [jobId, this.owner, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** Extends our lease; false when it was lost (expired and taken over). */
  async renew(jobId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE history_analysis_leases SET expires_at = now() + $3::int * interval '1 millisecond'
       WHERE job_id = $1 AND owner = $2 RETURNING job_id`,
      [jobId, this.owner, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** Gives the job up (after finishing it, or when stopping). */
  async release(jobId: string): Promise<void> {
    await this.sql.query('DELETE FROM history_analysis_leases WHERE job_id = $1 AND owner = $2', [jobId, this.owner]);
  }

  /** Who holds the job now, if anyone. */
  async holder(jobId: string): Promise<{ owner: string; expiresAt: Date } | undefined> {
    const [row] = await this.sql.query<{ owner: string; expires_at: Date }>('SELECT owner, expires_at FROM history_analysis_leases WHERE job_id = $1', [jobId]);
    return row ? { owner: row.owner, expiresAt: new Date(row.expires_at) } : undefined;
  }
}
