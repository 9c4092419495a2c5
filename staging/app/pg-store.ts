// The staging app's Store: PostgreSQL. Given the primary and the replica, it talks to whichever
// accepts writes, and moves over when that one goes away (the failover drill promotes the
// replica), like libpq's target_session_attrs=read-write.

import pg from 'pg'
import type { Order, Product, Store, User } from './store.js'

export interface PgStoreOptions {
  hosts: { host: string; port: number }[]
  database: string
  user: string
  password: string
  /** slow-db fault: extra time each query spends in PostgreSQL (pg_sleep), 0 when off */
  extraDelayMs?: () => number
  /** each query's time as the app waits for it (slow-db's wait included): the db histogram */
  onQuery?: (seconds: number) => void
}

// connection-level failures and "this server is read-only now": worth trying the other host
const MOVE_ON = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '25006', '08006', '08001', '08003'])

export class PgStore implements Store {
  private pool: pg.Pool | null = null
  private connecting: Promise<pg.Pool> | null = null

  constructor(private readonly o: PgStoreOptions) {}

  /** The writable server's pool: the first host that answers and is not in recovery. */
  private async writable(): Promise<pg.Pool> {
    if (this.pool) return this.pool
    this.connecting ??= (async () => {
      const problems: string[] = []
      for (const h of this.o.hosts) {
        const pool = new pg.Pool({
          host: h.host,
          port: h.port,
          database: this.o.database,
          user: this.o.user,
          password: this.o.password,
          max: 10,
          connectionTimeoutMillis: 2000,
          idleTimeoutMillis: 30_000,
        })
        pool.on('error', () => {
          /* a dropped idle connection: the next query reconnects */
        })
        try {
          const r = await pool.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')
          if (!r.rows[0]!.r) return (this.pool = pool)
          problems.push(`${h.host}:${h.port} is read-only (a replica)`)
        } catch (e) {
          problems.push(`${h.host}:${h.port}: ${(e as Error).message}`)
        }
        await pool.end().catch(() => {})
      }
      throw new Error(`no writable PostgreSQL: ${problems.join('; ')}`)
    })().finally(() => {
      this.connecting = null
    })
    return this.connecting
  }

  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    for (let attempt = 0; ; attempt++) {
      const pool = await this.writable()
      const started = process.hrtime.bigint()
      try {
        const delay = this.o.extraDelayMs?.() ?? 0
        if (delay > 0) await pool.query('SELECT pg_sleep($1)', [delay / 1000])
        const r = await pool.query<R>(text, values)
        this.o.onQuery?.(Number(process.hrtime.bigint() - started) / 1e9)
        return r
      } catch (e) {
        const code = (e as { code?: string }).code ?? ''
        if (attempt > 0 || !MOVE_ON.has(code)) throw e
        if (this.pool === pool) {
          this.pool = null
          void pool.end().catch(() => {})
        }
      }
    }
  }

  /** /ready: the writable server answers. */
  async ping(): Promise<void> {
    await this.query('SELECT 1')
  }

  async close(): Promise<void> {
    await this.pool?.end()
  }

  async listProducts(limit: number, offset: number) {
    const r = await this.query<ProductRow & { total: string }>('SELECT *, count(*) OVER () AS total FROM products ORDER BY id LIMIT $1 OFFSET $2', [
      limit,
      offset,
    ])
    const total = r.rows[0] ? Number(r.rows[0].total) : Number((await this.query<{ n: string }>('SELECT count(*) AS n FROM products')).rows[0]!.n)
    return { items: r.rows.map(product), total }
  }

  async getProduct(id: number) {
    const r = await this.query<ProductRow>('SELECT * FROM products WHERE id = $1', [id])
    return r.rows[0] ? product(r.rows[0]) : undefined
  }

  async findUser(username: string): Promise<User | undefined> {
    const r = await this.query<User>('SELECT id, username, password FROM users WHERE username = $1', [username])
    return r.rows[0]
  }

  async findUserById(id: number): Promise<User | undefined> {
    const r = await this.query<User>('SELECT id, username, password FROM users WHERE id = $1', [id])
    return r.rows[0]
  }

  async createOrder(userId: number, items: { productId: number; quantity: number }[]): Promise<Order | { error: string }> {
    // one statement, so it is atomic without holding a client across round trips: take the stock
    // of every line or of none
    const r = await this.query<{ result: Order | { error: string } }>(CREATE_ORDER, [userId, JSON.stringify(items)])
    return r.rows[0]!.result
  }

  async getOrder(id: number): Promise<Order | undefined> {
    const r = await this.query<{ o: Order | null }>(
      `SELECT (SELECT json_build_object('id', o.id, 'userId', o.user_id, 'total', o.total::float8, 'createdAt', o.created_at,
      'items', coalesce((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity, 'price', i.price::float8)) FROM order_items i WHERE i.order_id = o.id), '[]'))
      FROM orders o WHERE o.id = $1) AS o`,
      [id],
    )
    return r.rows[0]?.o ?? undefined
  }
}

interface ProductRow {
  id: number
  sku: string
  name: string
  price: string
  stock: number
}
const product = (r: ProductRow): Product => ({ id: r.id, sku: r.sku, name: r.name, price: Number(r.price), stock: r.stock })

const CREATE_ORDER = `
WITH wanted AS (
  SELECT (x->>'productId')::int AS product_id, sum((x->>'quantity')::int)::int AS quantity
  FROM json_array_elements($2::json) AS x GROUP BY 1
), missing AS (
  SELECT w.product_id FROM wanted w LEFT JOIN products p ON p.id = w.product_id WHERE p.id IS NULL LIMIT 1
), taken AS (
  UPDATE products p SET stock = p.stock - w.quantity FROM wanted w
  WHERE p.id = w.product_id AND p.stock >= w.quantity AND NOT EXISTS (SELECT 1 FROM missing)
    AND (SELECT count(*) FROM wanted) = (SELECT count(*) FROM wanted w2 JOIN products p2 ON p2.id = w2.product_id AND p2.stock >= w2.quantity)
  RETURNING p.id, p.price, w.quantity
), new_order AS (
  INSERT INTO orders (user_id, total)
  SELECT $1, sum(price * quantity) FROM taken HAVING count(*) = (SELECT count(*) FROM wanted)
  RETURNING id, user_id, total, created_at
), lines AS (
  INSERT INTO order_items (order_id, product_id, quantity, price)
  SELECT o.id, t.id, t.quantity, t.price FROM new_order o, taken t
  RETURNING product_id, quantity, price
)
SELECT CASE
  WHEN EXISTS (SELECT 1 FROM missing) THEN json_build_object('error', 'product ' || (SELECT product_id FROM missing) || ' does not exist')
  WHEN NOT EXISTS (SELECT 1 FROM new_order) THEN json_build_object('error', 'a product is out of stock')
  ELSE (SELECT json_build_object('id', o.id, 'userId', o.user_id, 'total', o.total::float8, 'createdAt', o.created_at,
    'items', (SELECT json_agg(json_build_object('productId', product_id, 'quantity', quantity, 'price', price::float8)) FROM lines)) FROM new_order o)
END AS result`
