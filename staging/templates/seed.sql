-- Roles, schema and seed data of the staging ERP. Sizes come from `golive staging up
-- --seed-orders N` (compose: the defaults): enough orders that a restore takes measurable time.
CREATE ROLE golive LOGIN PASSWORD '{{app_password}}';
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '{{replication_password}}';
CREATE ROLE golive_monitor LOGIN PASSWORD '{{monitor_password}}' IN ROLE pg_monitor;
CREATE DATABASE golive OWNER golive;
\connect golive
-- golive_monitor (pg_monitor, so pg_read_all_stats) reads it: docs/server.md
CREATE EXTENSION pg_stat_statements;
SET ROLE golive;

CREATE TABLE products (
  id integer PRIMARY KEY,
  sku text NOT NULL UNIQUE,
  name text NOT NULL,
  price numeric(10, 2) NOT NULL,
  stock integer NOT NULL CHECK (stock >= 0)
);
CREATE TABLE users (
  id integer PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password text NOT NULL
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  total numeric(12, 2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders (id),
  product_id integer NOT NULL REFERENCES products (id),
  quantity integer NOT NULL,
  price numeric(10, 2) NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id);

-- the demo's catalogue and users (store.ts: same SKUs, prices, names, password)
INSERT INTO products
  SELECT i, 'SKU-' || lpad(i::text, 5, '0'), 'Product ' || i, 5 + ((i * 37) % 200) + 0.99, 1000000
  FROM generate_series(1, {{seed_products}}) AS i;
INSERT INTO users SELECT i, 'user' || i, '{{demo_password}}' FROM generate_series(1, {{seed_users}}) AS i;

-- order history: the bulk of the database
INSERT INTO orders (user_id, total, created_at)
  SELECT 1 + (i % {{seed_users}}), 0, now() - (i || ' minutes')::interval
  FROM generate_series(1, {{seed_orders}}) AS i;
INSERT INTO order_items
  SELECT o.id, 1 + ((o.id * 7 + k) % {{seed_products}}), 1 + (k % 3), p.price
  FROM orders o CROSS JOIN generate_series(0, 2) AS k
  JOIN products p ON p.id = 1 + ((o.id * 7 + k) % {{seed_products}});
UPDATE orders o SET total = s.total
  FROM (SELECT order_id, sum(price * quantity) AS total FROM order_items GROUP BY order_id) s
  WHERE s.order_id = o.id;
ANALYZE;
