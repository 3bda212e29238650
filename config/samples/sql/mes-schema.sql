-- Tables of the MES/ERP sample routes (config/samples/routes). PostgreSQL 12 or newer.
-- psql -h <host> -U <user> -d <database> -f mes-schema.sql

-- (a) mes-production-summary.xml: one row per machine and period
CREATE TABLE IF NOT EXISTS production_summary (
    id            bigserial PRIMARY KEY,
    machine       text             NOT NULL,
    machine_type  text             NOT NULL,
    period_start  timestamptz      NOT NULL,
    period_end    timestamptz      NOT NULL,
    part_count    bigint           NOT NULL,
    mean_cycle_s  double precision,            -- NULL when the counter stepped fewer than twice
    state_seconds jsonb            NOT NULL    -- {"<state value>": seconds, ...}
);

-- (b) mes-work-orders.xml: the MES writes 'new' orders; the node applies them as desired state
CREATE TABLE IF NOT EXISTS work_orders (
    id         bigserial PRIMARY KEY,
    machine    text        NOT NULL,           -- thing name, e.g. press01
    setpoints  jsonb       NOT NULL,           -- desired fields, e.g. {"setpoint": {"speed": 1200}}
    status     text        NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'applied', 'refused')),
    reason     text,                           -- why the node or the machine refused it
    created_at timestamptz NOT NULL DEFAULT now(),
    applied_at timestamptz
);
CREATE INDEX IF NOT EXISTS work_orders_new ON work_orders (id) WHERE status = 'new';

-- (c) mes-by-machine-type.xml: part counts of presses go to one service, of mills to another
CREATE TABLE IF NOT EXISTS press_events (
    id          bigserial PRIMARY KEY,
    machine     text        NOT NULL,
    field       text        NOT NULL,
    value       text        NOT NULL,
    source_time timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS mill_events (
    id          bigserial PRIMARY KEY,
    machine     text        NOT NULL,
    field       text        NOT NULL,
    value       text        NOT NULL,
    source_time timestamptz NOT NULL
);
