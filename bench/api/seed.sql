-- seed.sql - a large desk for bench/api: 100,000 tickets and 500,000
-- messages (5 per ticket) over the demo's clients, contacts, products and
-- consultants. Run on a migrated database that holds the demo
-- (soporte demo). The search index fills itself (triggers). Plain SQL
-- for both engines (bench/api/run.sh sets SQLite's pragmas).
BEGIN;
CREATE TEMP TABLE words (i INTEGER PRIMARY KEY, w TEXT);
INSERT INTO words (i, w) VALUES
 (0, 'facturación'), (1, 'impresora'), (2, 'contraseña'), (3, 'reporte'),
 (4, 'servidor'), (5, 'correo'), (6, 'acceso'), (7, 'pantalla'),
 (8, 'sincronización'), (9, 'exportación'), (10, 'catálogo'), (11, 'citas'),
 (12, 'conductores'), (13, 'notas'), (14, 'banner'), (15, 'pagos');
CREATE TEMP TABLE refs AS
  SELECT c.id AS client_id, ct.id AS contact_id, p.id AS product_id,
         ROW_NUMBER() OVER (ORDER BY c.id) - 1 AS k
  FROM clients c
  JOIN contacts ct ON ct.id = (SELECT MIN(id) FROM contacts WHERE client_id = c.id)
  JOIN products p ON p.id = (SELECT MIN(id) FROM products WHERE client_id = c.id);
CREATE TEMP TABLE staff AS
  SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM users
  WHERE role = 'consultant';
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000)
INSERT INTO tickets (number, client_id, contact_id, product_id, subject,
  severity, category, state, assignee_id, channel, created_at,
  response_due_at, first_response_at, updated_at, version)
SELECT 1000 + x, r.client_id, r.contact_id, r.product_id,
  'Problema con ' || (SELECT w FROM words WHERE i = x % 16) || ' en ' ||
  (SELECT w FROM words WHERE i = (x * 7) % 16) || ' #' || x,
  1 + x % 4, 'incident',
  CASE x % 10 WHEN 0 THEN 'new' WHEN 1 THEN 'assigned' WHEN 2 THEN 'in_progress'
    WHEN 3 THEN 'waiting_on_client' WHEN 4 THEN 'solved' ELSE 'closed' END,
  CASE WHEN x % 10 = 0 THEN NULL ELSE s.id END, 'email',
  1700000000 + x * 600, 1700000000 + x * 600 + 21600 + (x % 97) * 3600,
  CASE WHEN x % 10 >= 2 THEN 1700000000 + x * 600 + 3600 END,
  1700000000 + x * 600, 1
FROM n
JOIN refs r ON r.k = x % (SELECT COUNT(*) FROM refs)
JOIN staff s ON s.k = x % (SELECT COUNT(*) FROM staff);
UPDATE counters SET value = (SELECT MAX(number) FROM tickets) WHERE name = 'ticket';
WITH RECURSIVE m(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM m WHERE y < 4)
INSERT INTO messages (ticket_id, kind, from_addr, subject, body_text, created_at)
SELECT t.id, CASE m.y WHEN 0 THEN 'in' WHEN 3 THEN 'note' ELSE
  CASE WHEN m.y % 2 = 1 THEN 'out' ELSE 'in' END END,
  'cliente@example.pe', 'Re: ' || t.subject,
  'Buenos días, seguimos con el problema de ' ||
  (SELECT w FROM words WHERE i = (t.id + m.y * 5) % 16) ||
  '. Referencia de la orden oc' || (t.id % 3000) ||
  '. Adjunto capturas del error y el detalle de los pasos para reproducirlo. ' ||
  'Quedo atento a su respuesta, saludos cordiales.',
  t.created_at + m.y * 1800
FROM tickets t CROSS JOIN m WHERE t.number > 1000;
COMMIT;
ANALYZE;
