-- 0193_po_overrides.sql - a purchase order's hours are enforced (R8,
-- app/billing/po_hours.c): time that would bill beyond an order is
-- refused, unless a Project Manager extends that order on purpose. Each
-- extension is a row here (who, how much, why, when), never edited, and
-- an audit event "po.override"; the order then pays for its hours plus
-- the sum of its extensions.
CREATE TABLE po_overrides (
  id @ID@,
  purchase_order_id BIGINT NOT NULL REFERENCES purchase_orders(id),
  hours_s BIGINT NOT NULL CHECK (hours_s > 0),
  reason TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX po_overrides_po ON po_overrides(purchase_order_id);
