-- 0325_canned_replies.sql - reusable answers staff insert from the reply
-- box (app/ticket/canned.h). Per language; the body may hold the
-- variables {{ticket}}, {{client}}, {{deadline}}, {{consultant}} and
-- {{contact}}, filled from the ticket when inserted. Managed by admins and
-- the Project Manager; nothing refers to them, so removing one deletes it
-- (the audit keeps what it said).
CREATE TABLE canned_replies (
  id @ID@,
  language TEXT NOT NULL CHECK (language IN ('es', 'en')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (language, title)
);
