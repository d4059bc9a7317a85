#!/usr/bin/env python3
"""openapi.py - writes docs/api/openapi.json and docs/api/openapi.yaml.

The API contract is written here once, as data, and emitted twice: JSON
(embedded in the binary, served at /api/openapi.json) and YAML (for
people). `openapi.py --check` fails when either file differs from what
this script would write; tests/unit/test_api_contract.c holds the JSON
against the server's route table (paths, methods, authz action, roles,
request fields, query parameters), so code and document cannot drift.
Standard library only.
"""
import json
import os
import sys

ROLES = ["client", "consultant", "project_manager", "renewals", "admin"]
C, K, P, R, A = ROLES
ALL = ROLES

# actions whose refused roles get 404 (the resource does not exist for them)
HIDDEN = {"review": [C]}

# action -> roles (mirrors src/app/authz.c; the contract test checks it)
ACTIONS = {
    "public": ALL, "session": ALL, "review": [K, P, A],
    "ticket.read": ALL, "ticket.open": [K, P, A], "ticket.update": [K, P, A],
    "ticket.reply": [C, K, P], "ticket.note": [K, P], "ticket.confirm": [C],
    "ticket.solve": [K, P], "escalation.request": [C, K, P],
    "escalation.handle": [K, P], "time.read": [K, P, R, A],
    "time.write": [K, P], "secret.add": [C, K, P], "secret.list": [C, K, P],
    "secret.reveal": [K, P], "secret.delete": [K, P, A],
    "attachment.upload": [C, K, P], "directory.read": ALL,
    "directory.write": [P, R, A], "contract.read": ALL,
    "contract.write": [R, A], "user.read": [P, A], "user.write": [A],
    "audit.read": [P, A], "calendar.write": [A], "metrics": [A],
    "po.override": [P], "report.read": [P, A],
    "contract.document": [K, P, R, A],
}


def s(minlen=None, maxlen=None, fmt=None, enum=None, nullable=False,
      pattern=None, desc=None):
    d = {"type": ["string", "null"] if nullable else "string"}
    if minlen is not None:
        d["minLength"] = minlen
    if maxlen is not None:
        d["maxLength"] = maxlen
    if fmt:
        d["format"] = fmt
    if enum:
        d["enum"] = enum + ([None] if nullable else [])
    if pattern:
        d["pattern"] = pattern
    if desc:
        d["description"] = desc
    return d


def i(lo=None, hi=None, nullable=False, desc=None):
    d = {"type": ["integer", "null"] if nullable else "integer"}
    if lo is not None:
        d["minimum"] = lo
    if hi is not None:
        d["maximum"] = hi
    if desc:
        d["description"] = desc
    return d


BOOL = {"type": "boolean"}
ID = i(1)
DATE = s(fmt="date", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NAME = s(1, 200, desc="one line of text, not blank")
IDENT = s(1, 40, pattern="^[a-z0-9_]+$")


def ids(maxn):
    return {"type": "array", "items": ID, "maxItems": maxn}


def body(required, **props):
    return {"type": "object", "additionalProperties": False,
            "required": required, "properties": props}


LOGIN = body(["email", "password"], email=s(1, 254), password=s(1, 256))
SESSION_PREFS = body(["language"], language=s(enum=["es", "en"]))
CLIENT_NEW = body(["name", "domain"], name=NAME,
                  domain=s(1, 253, fmt="hostname"), monthly_service=BOOL,
                  language=s(enum=["es", "en"]))
CLIENT_EDIT = body([], name=NAME, domain=s(1, 253, fmt="hostname"),
                   monthly_service=BOOL, language=s(enum=["es", "en"]))
CONTACT_NEW = body(["client_id", "name", "email"], client_id=ID, name=NAME,
                   email=s(3, 254, fmt="email"),
                   phone=s(1, 40, nullable=True),
                   billing=dict(BOOL, description="gets the monthly statement"))
CONTACT_EDIT = body([], name=NAME, email=s(3, 254, fmt="email"),
                    phone=s(1, 40, nullable=True),
                    billing=dict(BOOL, description="gets the monthly statement"),
                    active=dict(BOOL, description="false: deactivated (kept "
                                "for history; their mail goes to review)"))
PRODUCT_NEW = body(["client_id", "type", "name", "delivered_on",
                    "warranty_months"],
                   client_id=ID, type=IDENT, name=NAME, delivered_on=DATE,
                   warranty_months=i(0, 24),
                   post_production_until=dict(DATE, type=["string", "null"]))
PRODUCT_EDIT = body([], type=IDENT, name=NAME, delivered_on=DATE,
                    warranty_months=i(0, 24),
                    post_production_until=dict(DATE, type=["string", "null"]))
PLANS = ["per_event", "basic", "enterprise"]
CONTRACT_NEW = body(["client_id", "plan", "valid_from", "valid_to"],
                    client_id=ID, plan=s(enum=PLANS), valid_from=DATE,
                    valid_to=DATE, hourly_rate_cents=i(0, 100000000),
                    product_ids=ids(100))
CONTRACT_EDIT = body([], valid_from=DATE, valid_to=DATE,
                     hourly_rate_cents=i(0, 100000000),
                     ended_on=dict(DATE, type=["string", "null"]),
                     product_ids=ids(100))
PO_NEW = body(["client_id", "number", "issued_on"], client_id=ID,
              number=s(1, 60), issued_on=DATE, hours_s=i(60, 10000000),
              note=s(0, 2000, nullable=True))
TICKET_NEW = body(["client_id", "subject", "body", "severity", "channel",
                   "channel_reason"],
                  client_id=ID, contact_id=ID, product_id=ID,
                  subject=s(1, 300), body=s(1, 100000), severity=i(1, 4),
                  category=IDENT, channel=s(enum=["phone", "other"]),
                  channel_reason=s(1, 500))
REVIEW_TICKET = body(["client_id", "severity"], client_id=ID,
                     severity=i(1, 4), contact_id=ID, product_id=ID)
TICKET_EDIT = body([], assignee_id=dict(
    i(1, nullable=True), deprecated=True,
    description="refused (400 use_assign_route): assign through POST "
    "/api/tickets/{number}/assign"),
    product_id=i(1, nullable=True), category=IDENT, subject=s(1, 300),
    cause=s(enum=["defect", "misuse", "third_party_change", "question"],
            desc="alone in the body (400 cause_alone otherwise): what caused "
            "the ticket; coverage is decided again as `soporte cause` does "
            "(R4); 409 refused when the ticket is about no product yet"))
ASSIGN = body(["assignee_id"], assignee_id=i(
    1, desc="an active consultant's user id: a consultant takes an "
    "unassigned ticket for themself; the Project Manager or an admin "
    "reassigns"))
MESSAGE = body(["body"], body=s(1, 100000))
MESSAGE_FILES = body(["body"], body=s(1, 100000), attachments=dict(
    ids(10), description="ids of files you uploaded to this ticket "
    "(POST /api/tickets/{number}/attachments); a reply's mail carries them"))
CALL = body(["body", "duration_s"], body=s(1, 100000),
            duration_s=i(0, 86400), contact_id=ID)
TIME = body(["work_date", "seconds"], work_date=DATE,
            seconds=i(-86400, 86400),
            kind=s(enum=["work", "update", "remote_session", "correction"]),
            purchase_order=s(1, 60), corrects_id=ID,
            note=s(0, 2000, nullable=True))
ATTEMPT = body(["channel", "outcome", "wait_s"],
               channel=s(enum=["phone", "email"]), outcome=IDENT,
               wait_s=i(0, 30 * 86400), note=s(0, 2000, nullable=True))
ESCALATION = body(["kind"], kind=s(enum=["raise_priority", "project_manager",
                                          "severity_change"]),
                  to_severity=i(1, 4), note=s(0, 2000, nullable=True))
NOTE_OPT = body([], note=s(0, 2000, nullable=True))
SEVERITY_CONFIRM = body([], severity=i(1, 4, desc="another severity: "
                                          "changes it (deadline recomputed); "
                                          "without it, the current one"),
                        note=s(0, 2000, nullable=True))
HOLIDAY = body(["date"], date=DATE)
PO_OVERRIDE = body(["hours_s", "reason"], hours_s=i(60, 10000000),
                   reason=s(1, 1000, desc="why the order is extended; "
                            "audited"))
CLOSE = body(["reason", "body"],
             reason=s(enum=["excluded", "duplicate", "renewal_required"]),
             body=s(1, 100000))
MERGE = body(["other"], other=i(
    1, desc="the other ticket's number (same client): the older number "
    "keeps both threads"))
LINK = body(["number"], number=i(1, desc="the related ticket's number "
                                 "(same client)"))
BULK = body(["numbers", "action"], numbers=ids(100),
            action=s(enum=["assign", "close"]),
            assignee_id=i(1, desc="assign: the consultant's user id"),
            reason=s(enum=["excluded", "duplicate", "renewal_required"],
                     desc="close: why"),
            body=s(1, 100000, desc="close: the words to the client"))
EXCLUDE = body(["kind"], kind=s(enum=["training", "third_party",
                                      "consulting"]),
               note=s(0, 2000, nullable=True,
                      desc="kept on the ticket for staff, not mailed"))
REMOTE = body(["at"], at=s(20, 20, fmt="date-time",
                           desc="the session's start, UTC (...Z)"),
              minutes=i(1, 24 * 60, desc="planned length; default 60"))
SECRET = body(["label", "value"], label=s(1, 100),
              value=s(1, 4096, desc="sealed at once; never shown in lists"))
USER_NEW = body(["email", "name", "role"], email=s(3, 254, fmt="email"),
                name=NAME, role=s(enum=ROLES), client_id=ID, contact_id=ID,
                password=s(10, 256, fmt="password"))
USER_EDIT = body([], name=NAME, role=s(enum=ROLES),
                 client_id=i(1, nullable=True), on_duty=BOOL, active=BOOL,
                 password=s(10, 256, fmt="password",
                            desc="not a common password, nor one with the "
                            "account's e-mail or name (400 weak_password); "
                            "ends the sessions and revokes the API tokens"),
                 keep_tokens=dict(BOOL, description="with password: keep "
                                  "the account's API tokens"))
TOKEN_NEW = body(["name", "scopes"], name=s(1, 100),
                 scopes=s(1, 40, pattern="^(read|write|admin|metrics)"
                          "(,(read|write|admin|metrics))*$"))

PAGE = ["cursor", "limit"]
Q = {
    "cursor": s(desc="next_cursor of the previous page"),
    "limit": i(1, 200), "client_id": ID,
    "state": s(desc="open (not closed), or a state: new, assigned, "
               "in_progress, waiting_on_client, solved, closed, "
               "renewal_required"),
    "severity": i(1, 4),
    "assignee": s(desc="me, none, or a user id"),
    "sla": s(enum=["pending", "at_risk", "breached", "met"]),
    "escalated": s(enum=["true", "false"], desc="true: only tickets whose "
                   "client asked to raise the priority or that reached the "
                   "Project Manager (R7)"),
    "q": s(maxlen=500, desc="words to find in subjects, messages and file "
           "names (accents, case and Spanish word endings ignored)"),
    "sort": s(enum=["deadline", "number"], desc="deadline (the default "
              "without q) or number: newest first (the default with q)"),
    "filename": s(1, 255, desc="the file's name: no folders, no leading dot, "
                  "no control characters"),
    "ticket": i(1), "month": s(pattern="^[0-9]{4}-[0-9]{2}$"),
    "format": s(enum=["json", "csv", "xlsx", "pdf"], desc="json (the "
                "report's default), csv (one table), xlsx (a workbook) or "
                "pdf (the report's document); exports take csv or xlsx"),
    "lang": s(enum=["es", "en"], desc="the document's language (es or en; "
              "a statement's default is the client's, a report's Spanish)"),
    "year": i(2015, 2045),
    "from": s(fmt="date", desc="first day (default: today)"),
    "to": s(fmt="date", desc="last day (default: from + 13; at most 366 days)"),
}

# method, path, action, body (None | schema | "ics"), optional?, query,
# success status, result schema name, summary
ROUTES = [
    ("post", "/api/session", "public", LOGIN, False, [], 200, "Session",
     "Log in: opens a session (cookie) and returns its CSRF token"),
    ("get", "/api/session", "session", None, False, [], 200, "Session",
     "Who is logged in"),
    ("patch", "/api/session", "session", SESSION_PREFS, False, [], 200,
     "Session", "The logged-in user's preferences (the console's "
     "language, on any device)"),
    ("delete", "/api/session", "session", None, False, [], 204, None,
     "Log out"),
    ("get", "/api/openapi.json", "public", None, False, [], 200, "Any",
     "This API's OpenAPI 3.1 document"),
    ("get", "/api/events", "ticket.read", None, False, [], 200, "Events",
     "Live events of the tickets the caller may read "
     "(text/event-stream; resume with Last-Event-ID)"),
    ("get", "/api/clients", "directory.read", None, False, PAGE, 200, "Page",
     "List clients"),
    ("post", "/api/clients", "directory.write", CLIENT_NEW, False, [], 201,
     "Client", "Create a client"),
    ("get", "/api/clients/{id}", "directory.read", None, False, [], 200,
     "Client", "One client"),
    ("patch", "/api/clients/{id}", "directory.write", CLIENT_EDIT, False, [],
     200, "Client", "Edit a client"),
    ("get", "/api/contacts", "directory.read", None, False,
     ["client_id"] + PAGE, 200, "Page", "List contacts"),
    ("post", "/api/contacts", "directory.write", CONTACT_NEW, False, [], 201,
     "Object", "Create a contact"),
    ("get", "/api/contacts/{id}", "directory.read", None, False, [], 200,
     "Object", "One contact"),
    ("patch", "/api/contacts/{id}", "directory.write", CONTACT_EDIT, False,
     [], 200, "Object", "Edit a contact"),
    ("get", "/api/products", "directory.read", None, False,
     ["client_id"] + PAGE, 200, "Page", "List products"),
    ("post", "/api/products", "directory.write", PRODUCT_NEW, False, [], 201,
     "Object", "Create a product"),
    ("get", "/api/products/{id}", "directory.read", None, False, [], 200,
     "Object", "One product"),
    ("patch", "/api/products/{id}", "directory.write", PRODUCT_EDIT, False,
     [], 200, "Object", "Edit a product"),
    ("get", "/api/contracts", "contract.read", None, False,
     ["client_id"] + PAGE, 200, "Page", "List contracts"),
    ("post", "/api/contracts", "contract.write", CONTRACT_NEW, False, [], 201,
     "Object", "Create a contract"),
    ("get", "/api/contracts/{id}", "contract.read", None, False, [], 200,
     "Object", "One contract"),
    ("patch", "/api/contracts/{id}", "contract.write", CONTRACT_EDIT, False,
     [], 200, "Object", "Edit a contract"),
    ("get", "/api/purchase-orders", "contract.read", None, False,
     ["client_id"] + PAGE, 200, "Page", "List purchase orders"),
    ("post", "/api/purchase-orders", "contract.write", PO_NEW, False, [], 201,
     "Object", "Record a purchase order"),
    ("get", "/api/purchase-orders/{id}", "contract.read", None, False, [],
     200, "Object", "One purchase order"),
    ("post", "/api/purchase-orders/{id}/override", "po.override",
     PO_OVERRIDE, False, [], 200, "Object",
     "The Project Manager extends an order's hours (R8), audited"),
    ("get", "/api/tickets", "ticket.read", None, False,
     ["state", "severity", "client_id", "assignee", "sla", "escalated", "q",
      "sort"] +
     PAGE, 200, "TicketPage", "List and search tickets"),
    ("post", "/api/tickets", "ticket.open", TICKET_NEW, False, [], 201,
     "Ticket", "Open a ticket for a client whose e-mail fails (R1)"),
    ("get", "/api/tickets/{number}", "ticket.read", None, False, [], 200,
     "Ticket", "One ticket (ETag: its version)"),
    ("patch", "/api/tickets/{number}", "ticket.update", TICKET_EDIT, False,
     [], 200, "Ticket",
     "Recategorize, retitle, or set the cause alone: coverage decided "
     "again (R4) (If-Match required; not closed tickets)"),
    ("post", "/api/tickets/bulk", "ticket.update", BULK, False, [], 200,
     "Object",
     "Assign or close many tickets at once: one result per ticket "
     "({number, ok, error}), each applied on its own"),
    ("post", "/api/tickets/{number}/merge", "ticket.solve", MERGE, False, [],
     200, "Ticket",
     "Merge two tickets of one client: the older number keeps both "
     "threads, the newer closes as a duplicate"),
    ("post", "/api/tickets/{number}/links", "ticket.update", LINK, False, [],
     200, "Ticket", "Link a related ticket of the same client"),
    ("post", "/api/tickets/{number}/unlink", "ticket.update", LINK, False,
     [], 200, "Ticket", "Remove a link between two tickets"),
    ("post", "/api/tickets/{number}/assign", "ticket.update", ASSIGN, False,
     [], 200, "Ticket",
     "Assign or reassign (a consultant takes an unassigned ticket; the PM "
     "or an admin reassigns; audited, both consultants mailed)"),
    ("get", "/api/tickets/{number}/messages", "ticket.read", None, False,
     PAGE, 200, "Page", "The ticket's messages"),
    ("post", "/api/tickets/{number}/replies", "ticket.reply", MESSAGE_FILES,
     False,
     [], 201, "Ticket", "Reply (staff: to the client; client: to staff)"),
    ("post", "/api/tickets/{number}/notes", "ticket.note", MESSAGE_FILES,
     False, [],
     201, "Object", "Add an internal note"),
    ("post", "/api/tickets/{number}/calls", "ticket.note", CALL, False, [],
     201, "Ticket", "Log a phone call (R10)"),
    ("get", "/api/tickets/{number}/attachments", "ticket.read", None, False,
     PAGE, 200, "Page", "The ticket's attachments"),
    ("post", "/api/tickets/{number}/attachments", "attachment.upload", "file",
     False, ["filename"], 201, "Upload",
     "Upload a file for your next reply or note (raw body)"),
    ("get", "/api/attachments/{id}", "ticket.read", None, False, [], 200,
     "File", "Download an attachment"),
    ("get", "/api/messages/{id}/html", "ticket.read", None, False, [], 200,
     "Html", "A message's sanitized mail HTML as a sandboxed document"),
    ("post", "/api/messages/{id}/apply-intent", "ticket.solve", None, False,
     [], 200, "Ticket",
     "Apply what a client's unverified mail asked (R2; staff; audited)"),
    ("get", "/api/tickets/{number}/time-entries", "time.read", None, False,
     PAGE, 200, "Page", "Time logged on the ticket (R8)"),
    ("post", "/api/tickets/{number}/time-entries", "time.write", TIME, False,
     [], 201, "Object", "Log time"),
    ("get", "/api/tickets/{number}/contact-attempts", "ticket.read", None,
     False, PAGE, 200, "Page", "Contact attempts (R9)"),
    ("post", "/api/tickets/{number}/contact-attempts", "ticket.solve",
     ATTEMPT, False, [], 201, "Object", "Record a contact attempt"),
    ("get", "/api/tickets/{number}/escalations", "ticket.read", None, False,
     PAGE, 200, "Page", "Escalations (R7)"),
    ("post", "/api/tickets/{number}/escalations", "escalation.request",
     ESCALATION, False, [], 201, "Object",
     "Ask for (client) or make (staff) an escalation"),
    ("post", "/api/tickets/{number}/confirm-severity", "escalation.handle",
     SEVERITY_CONFIRM, True, [], 200, "Ticket",
     "The consultant confirms the preliminary severity, or sets another (R6)"),
    ("post", "/api/tickets/{number}/solve", "ticket.solve", NOTE_OPT, True,
     [], 200, "Ticket", "Mark solved, awaiting the client's confirmation"),
    ("post", "/api/tickets/{number}/confirm", "ticket.confirm", NOTE_OPT,
     True, [], 200, "Ticket", "The client confirms the solution (R9)"),
    ("post", "/api/tickets/{number}/reopen", "ticket.reply", NOTE_OPT,
     True, [], 200, "Ticket",
     "Reopen a solved ticket: the client says it is not solved, or staff "
     "take it up again"),
    ("post", "/api/tickets/{number}/wait", "ticket.solve", MESSAGE, False,
     [], 200, "Ticket",
     "Ask the client for information: the clock pauses (R6, R9)"),
    ("post", "/api/tickets/{number}/close", "ticket.solve", CLOSE, False,
     [], 200, "Ticket",
     "Close as excluded (R5), duplicate or renewal required (R3)"),
    ("post", "/api/tickets/{number}/exclude", "ticket.solve", EXCLUDE, False,
     [], 200, "Ticket",
     "Close out of coverage (R5): the policy's reason mailed to the client"),
    ("get", "/api/tickets/{number}/remote-sessions", "ticket.read", None,
     False, PAGE, 200, "Page", "Remote sessions (R11)"),
    ("post", "/api/tickets/{number}/remote-sessions", "ticket.solve", REMOTE,
     False, [], 201, "Object",
     "Schedule a remote session: the client is told the time and not to "
     "use the equipment (R11)"),
    ("post", "/api/remote-sessions/{id}/start", "ticket.solve", None, False,
     [], 200, "Object", "Log a remote session's start (R11)"),
    ("post", "/api/remote-sessions/{id}/end", "ticket.solve", None, False,
     [], 200, "Object",
     "Log a remote session's end; its time to the hour bank (R8, R11)"),
    ("post", "/api/tickets/{number}/purchase-order-request", "ticket.solve",
     NOTE_OPT, True, [], 200, "Ticket",
     "Ask the client for a purchase order (R8): the ticket waits"),
    ("post", "/api/tickets/{number}/recheck", "contract.write", None, False,
     [], 200, "Ticket",
     "Decide entitlement again: leave renewal required when it holds (R3)"),
    ("get", "/api/tickets/{number}/secrets", "secret.list", None, False, PAGE,
     200, "Page", "Credentials on the ticket (labels only)"),
    ("post", "/api/tickets/{number}/secrets", "secret.add", SECRET, False,
     [], 201, "Object", "Hand over a credential (R11)"),
    ("get", "/api/tickets/{number}/audit", "audit.read", None, False, PAGE,
     200, "Page", "The ticket's audit trail"),
    ("get", "/api/products/{id}/secrets", "secret.list", None, False, PAGE,
     200, "Page", "Credentials of a product (labels only)"),
    ("post", "/api/products/{id}/secrets", "secret.add", SECRET, False, [],
     201, "Object", "Store a product credential (R11)"),
    ("post", "/api/secrets/{id}/reveal", "secret.reveal", None, False, [],
     200, "Secret", "Reveal a credential (audited)"),
    ("delete", "/api/secrets/{id}", "secret.delete", None, False, [], 204,
     None, "Delete a credential (audited; the ciphertext goes)"),
    ("get", "/api/audit", "audit.read", None, False, ["ticket"] + PAGE, 200,
     "Page", "The audit trail, newest first"),
    ("get", "/api/statements", "contract.read", None, False,
     ["client_id", "month"], 200, "Object",
     "Monthly hour-bank statement (R8)"),
    ("get", "/api/contracts/{id}.pdf", "contract.document", None, False,
     ["lang"], 200, "Pdf",
     "The contract document (R12; staff): plan, validity, products, rate, "
     "the response times of the policy in force, exclusions, channels"),
    ("get", "/api/clients/{id}/statements", "contract.read", None, False, [],
     200, "Object", "The months a client has statements for (R8)"),
    ("get", "/api/clients/{id}/statement.pdf", "contract.read", None, False,
     ["month", "lang"], 200, "Pdf", "A month's statement as a PDF (R8)"),
    ("get", "/api/reports/sla", "report.read", None, False,
     ["month", "client_id", "format", "lang"], 200, "Report",
     "The month's SLA report (R6, R7; PM, admin): JSON, CSV, XLSX or PDF"),
    ("get", "/api/exports/tickets", "ticket.read", None, False,
     ["state", "severity", "client_id", "assignee", "sla", "escalated", "q",
      "sort", "format"], 200, "Export",
     "The queue view (the list's filters) as CSV or XLSX"),
    ("get", "/api/exports/time-entries", "time.read", None, False,
     ["month", "client_id", "format"], 200, "Export",
     "A client's time entries of a month as CSV or XLSX (R8)"),
    ("get", "/api/exports/statement", "contract.read", None, False,
     ["month", "client_id", "format"], 200, "Export",
     "A client's monthly statement as CSV or XLSX (R8)"),
    ("get", "/api/policy", "session", None, False, [], 200, "Object",
     "The support policy in force"),
    ("get", "/api/policy/versions", "session", None, False, PAGE, 200, "Page",
     "The policy's versions: effective date (dd/mm/aaaa too), response "
     "targets, the one in force today and the one the server runs (R12)"),
    ("get", "/api/review", "review", None, False, ["cursor", "limit"],
     200, "Page", "Mail from unknown senders held for review (R3; staff)"),
    ("post", "/api/review/{id}/ticket", "review", REVIEW_TICKET, False,
     [], 201, "Object",
     "Make a held message a client's new ticket (staff; audited)"),
    ("post", "/api/review/{id}/dismiss", "review", NOTE_OPT, True, [],
     200, "Object", "Dismiss a held message (staff; audited)"),
    ("get", "/api/holidays", "session", None, False, ["year"], 200, "Page",
     "Holidays of a year (policy set and imports)"),
    ("get", "/api/calendar", "session", None, False, ["from", "to"], 200,
     "Page", "Business days and hours, day by day (R6)"),
    ("post", "/api/holidays/import", "calendar.write", "ics", False, [], 200,
     "Object", "Import holidays from an iCalendar file"),
    ("post", "/api/holidays/remove", "calendar.write", HOLIDAY, False, [], 200,
     "Object", "Remove an imported holiday (open tickets' deadlines follow)"),
    ("get", "/api/users", "user.read", None, False, PAGE, 200, "Page",
     "List accounts"),
    ("post", "/api/users", "user.write", USER_NEW, False, [], 201, "User",
     "Create an account"),
    ("get", "/api/users/{id}", "user.read", None, False, [], 200, "User",
     "One account"),
    ("patch", "/api/users/{id}", "user.write", USER_EDIT, False, [], 200,
     "User", "Edit an account"),
    ("get", "/api/users/{id}/tokens", "user.write", None, False, PAGE, 200,
     "Page", "An account's API tokens (never their values)"),
    ("post", "/api/users/{id}/tokens", "user.write", TOKEN_NEW, False, [],
     201, "NewToken", "Create an API token (shown once)"),
    ("delete", "/api/tokens/{id}", "user.write", None, False, [], 204, None,
     "Revoke an API token"),
]

import openapi_work  # noqa: E402  (beside this script)
openapi_work.extend(globals())

ERRORS = {
    "400": "Malformed request: bad JSON, unknown or missing field, wrong "
           "type, value out of range, bad UTF-8, unknown query parameter",
    "401": "Not logged in, or the token is unknown or revoked",
    "403": "Your role may not do this, or a missing/wrong X-CSRF-Token",
    "404": "No such resource (also: another client's)",
    "409": "Conflicts with existing data (conflict); a lifecycle command "
           "refused (refused); a closed ticket (ticket_closed); a per-ticket "
           "policy limit reached (limit_reached); the last administrator "
           "(last_admin); a contact of another client (contact_not_of_client)",
    "413": "Body over 1 MiB; an upload over the policy's "
           "max_attachment_bytes; a reply whose mail to the client, with its "
           "files encoded, would be over max_outbound_bytes",
    "415": "Body not application/json (text/calendar for imports)",
    "429": "Too many failed logins (see Retry-After)",
    "503": "Database busy or unreachable: retry (see Retry-After)",
}


def schemas():
    err = {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "object", "required": ["code", "message"],
                  "properties": {
                      "code": {"type": "string",
                               "description": "stable word (docs/api.md)"},
                      "message": {"type": "string",
                                  "description": "one English sentence for "
                                                 "programmers; never the "
                                                 "database's text"},
                      "field": {"type": "string",
                                "description": "the input field at fault, "
                                               "when one is"},
                      "reason": {"type": "string",
                                 "description": "a refused lifecycle "
                                                "command: the workflow's "
                                                "rule (closed, state, "
                                                "ask_consultant_first, ...)"}}}}}
    time = {"type": ["string", "null"], "format": "date-time",
            "description": "UTC, ISO-8601; a *_local twin holds the Lima "
                           "time as dd/mm/aaaa HH:MM"}
    ticket = {"type": "object", "properties": {
        "number": {"type": "integer"}, "display_number": {"type": "string"},
        "state": {"type": "string"}, "severity": {"type": "integer"},
        "subject": {"type": "string"}, "client_domain": {"type": ["string", "null"]},
        "client_name": {"type": ["string", "null"]},
        "assignee": {"type": ["string", "null"]},
        "created_at": time, "response_due_at": time, "first_response_at": time,
        "closed_at": time, "updated_at": time,
        "version": {"type": "integer", "description": "the ETag"},
        "client_id": {"type": ["integer", "null"]},
        "assignee_id": {"type": ["integer", "null"]},
        "sla": {"type": ["object", "null"],
                "description": "the response clock at as_of (R6), in "
                               "business time; see docs/api.md",
                "properties": {
                    "status": {"type": "string", "enum": [
                        "ok", "at_risk", "breached", "met", "paused"]},
                    "target_s": {"type": "integer"},
                    "used_business_s": {"type": "integer"},
                    "remaining_business_s": {
                        "type": "integer",
                        "description": "business seconds; negative once "
                                       "overdue"},
                    "due_at": time,
                    "running": {"type": "boolean",
                                "description": "the count decreases now "
                                               "(business hours, not paused)"},
                    "as_of": {"type": "string", "format": "date-time"}}},
        "escalation_level": {"type": "integer",
                             "description": "0 consultant, 1 Project Manager"},
        "raise_requested": {"type": "boolean", "description": "the client "
                            "asked to raise the priority (R7)"},
        "escalated": {"type": "boolean", "description": "raise_requested, "
                      "or at the Project Manager's level (R7)"},
        "severity_confirmed": {"type": "boolean", "description": "false: the "
                               "severity is the desk's preliminary proposal "
                               "(R6)"},
        "severity_confirmed_at": time,
        "suggested_severity": {"type": ["integer", "null"],
                               "description": "triage.severity, kept for "
                               "older clients"},
        "severity_words": {"type": ["string", "null"], "description": "the "
                           "triage reasons, comma-separated (older clients)"},
        "category_confirmed": {"type": "boolean", "description": "staff set "
                               "or confirmed the category (issue 17: a "
                               "training example)"},
        "triage": {"type": ["object", "null"], "description": "the triage "
                   "model's proposal at opening (issue 17); null for a "
                   "ticket opened before triage",
                   "properties": {
                       "severity": {"type": "integer", "description": "1-4 "
                                    "proposed; the higher one when flagged"},
                       "category": {"type": ["string", "null"],
                                    "description": "incident, "
                                    "change_request, question, suggestion, "
                                    "excluded_training, excluded_third_party"
                                    ", excluded_consulting (an exclusion is "
                                    "only a proposal)"},
                       "confidence": {"type": "object", "properties": {
                           "severity": {"type": ["number", "null"]},
                           "category": {"type": ["number", "null"]}}},
                       "reasons": {"type": "array", "items": {
                           "type": "string"}, "description": "the words "
                           "and features that weighed most, weightiest "
                           "first"},
                       "model_version": {"type": ["string", "null"],
                                         "description": "the model that "
                                         "proposed it (soporte triage "
                                         "models)"},
                       "flagged": {"type": "boolean", "description": "the "
                                   "model was unsure: the higher severity "
                                   "was taken and a consultant must look "
                                   "(R6)"}}},
        "pauses": {"type": "array", "description": "one ticket only: the "
                   "waiting episodes (end_at null while waiting)",
                   "items": {"type": "object", "properties": {
                       "start_at": time, "end_at": time}}},
    }}
    return {
        "Error": err,
        "Any": {},
        "Object": {"type": "object"},
        "File": {"type": "string", "format": "binary"},
        "Page": {"type": "object", "required": ["items", "next_cursor"],
                 "properties": {"items": {"type": "array",
                                          "items": {"type": "object"}},
                                "next_cursor": {"type": ["string", "null"]}}},
        "Ticket": ticket,
        "TicketPage": {"type": "object", "required": ["items", "next_cursor"],
                       "properties": {"items": {"type": "array", "items": {
                           "$ref": "#/components/schemas/Ticket"}},
                           "next_cursor": {"type": ["string", "null"]}}},
        "Client": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "domain": {"type": "string"}, "monthly_service": {"type": "boolean"},
            "language": {"type": "string"}, "created_at": time}},
        "User": {"type": "object", "properties": {
            "id": {"type": "integer"}, "email": {"type": "string"},
            "name": {"type": "string"}, "role": {"type": "string", "enum": ROLES},
            "client_id": {"type": ["integer", "null"]},
            "active": {"type": "boolean"}, "on_duty": {"type": "boolean"}}},
        "Session": {"type": "object", "properties": {
            "user": {"type": "object", "description": "id, name, role, "
                     "client_id, language (es, en, or null: never chosen)"},
            "csrf_token": {"type": "string"},
            "via": {"type": "string", "enum": ["session", "token"]}}},
        "Upload": {"type": "object", "properties": {
            "id": {"type": "integer", "description": "name it in a reply's "
                   "or note's attachments"},
            "filename": {"type": "string"}, "content_type": {"type": "string"},
            "size": {"type": "integer"}}},
        "Secret": {"type": "object", "properties": {
            "id": {"type": "integer"}, "label": {"type": "string"},
            "value": {"type": "string"}}},
        "NewToken": {"type": "object", "properties": {
            "id": {"type": "integer"}, "token": {"type": "string"},
            "scopes": {"type": "string"}}},
    }


def document():
    paths = {}
    for (method, path, action, req, optional, query, ok, result,
         summary) in ROUTES:
        op = {"summary": summary, "operationId": method + path.replace(
            "/api", "").replace("/", "_").replace("{", "").replace("}", "")
            .replace("-", "_").replace(".", "_"),
            "x-soporte-action": action, "x-soporte-roles": ACTIONS[action]}
        if action in HIDDEN:
            op["x-soporte-hidden-from"] = HIDDEN[action]
        params = []
        if "{" in path:
            name = path[path.index("{") + 1:path.index("}")]
            params.append({"name": name, "in": "path", "required": True,
                           "schema": ID})
        for qn in query:
            params.append({"name": qn, "in": "query", "required": False,
                           "schema": Q[qn]})
        if method == "patch" and path == "/api/tickets/{number}":
            params.append({"name": "If-Match", "in": "header",
                           "required": True, "schema": s(
                               desc="the ETag of the version you edit "
                               "(\"*\" is refused: 428 if_match_wildcard)")})
        if path == "/api/events":
            params.append({"name": "Last-Event-ID", "in": "header",
                           "required": False, "schema": s(
                               pattern="^[0-9]{1,18}$",
                               desc="the id of the last event received: the "
                               "stream starts after it (at most 500 "
                               "events back); without it, with the next "
                               "event")})
        if params:
            op["parameters"] = params
        if req == "ics":
            op["requestBody"] = {"required": True, "content": {
                "text/calendar": {"schema": {"type": "string"}}}}
        elif req == "file":
            op["requestBody"] = {
                "required": True,
                "description": "The file's bytes, with its own Content-Type; "
                "at most the policy's max_attachment_bytes (413 beyond, "
                "nothing stored)",
                "content": {"*/*": {"schema": {
                    "type": "string", "contentMediaType":
                    "application/octet-stream"}}}}
        elif req is not None:
            op["requestBody"] = {"required": not optional, "content": {
                "application/json": {"schema": req}}}
        if action == "public":
            op["security"] = []
        resp = {}
        if result is None:
            resp[str(ok)] = {"description": "Done"}
        elif result == "File":
            resp[str(ok)] = {"description": "The file, with its stored "
                             "content type; Content-Disposition: attachment "
                             "for anything a browser could run",
                             "content": {"application/octet-stream": {
                                 "schema": {"$ref": "#/components/schemas/File"}}}}
        elif result == "Pdf":
            resp[str(ok)] = {"description": "The document (Content-"
                             "Disposition: attachment)",
                             "content": {"application/pdf": {
                                 "schema": {"$ref": "#/components/schemas/File"}}}}
        elif result in ("Export", "Report"):
            content = {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet": {"schema": {
                    "$ref": "#/components/schemas/File"}}}
            if result == "Report":
                content = {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Object"}}, **content,
                    "application/pdf": {"schema": {
                        "$ref": "#/components/schemas/File"}}}
            resp[str(ok)] = {"description": "The file by format, with "
                             "Content-Disposition: attachment; filename=...",
                             "content": content}
        elif result == "Events":
            resp[str(ok)] = {"description": "Server-Sent Events, one per "
                             "change to a ticket the caller may read (a "
                             "client's user: their organization's, without "
                             "staff business such as internal notes): "
                             "`id:` the event's id, `data:` a JSON object "
                             "{id, kind (the audit action: ticket.opened, "
                             "message.received, ticket.assigned, ...), "
                             "number, severity, state, at}; a comment line "
                             "every 15 s; the stream ends after 10 minutes "
                             "(reconnect with Last-Event-ID). 429 "
                             "too_many_streams past 4 streams per session "
                             "or 256 per server",
                             "content": {"text/event-stream": {
                                 "schema": {"type": "string"}}}}
        elif result == "Html":
            resp[str(ok)] = {"description": "The message's HTML (sanitized "
                             "at intake) as a document, inline images as "
                             "data: URLs; Content-Security-Policy: "
                             "default-src 'none'; img-src data:; sandbox; "
                             "frame-ancestors 'self'",
                             "content": {"text/html": {
                                 "schema": {"type": "string"}}}}
        else:
            resp[str(ok)] = {"description": "OK", "content": {
                "application/json": {"schema": {
                    "$ref": "#/components/schemas/" + result}}}}
        for code in ERRORS:
            resp[code] = {"$ref": "#/components/responses/E" + code}
        if path == "/api/tickets/{number}" and method == "patch":
            resp["409"] = {"description": "ticket_closed: a closed ticket "
                           "takes no edits; conflict: a product of another "
                           "client; refused: the cause cannot be set (see "
                           "the message)"}
            resp["412"] = {"description": "Stale: the ticket changed since "
                           "its ETag; nothing was changed"}
            resp["428"] = {"description": "precondition_required: If-Match "
                           "missing; if_match_wildcard: If-Match: *"}
        op["responses"] = resp
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "soporte API", "version": "0.1.0",
                 "description": "The service desk's JSON API. See "
                 "docs/api.md for the auth model, roles and errors."},
        "servers": [{"url": "/"}],
        "security": [{"session": [], "csrf": []}, {"bearer": []}],
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie",
                            "name": "soporte_session"},
                "csrf": {"type": "apiKey", "in": "header",
                         "name": "X-CSRF-Token",
                         "description": "required with the cookie on "
                         "POST, PATCH, PUT and DELETE"},
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "API tokens (sop_...), scoped "
                           "read / write / admin / metrics"},
            },
            "schemas": schemas(),
            "responses": {"E" + code: {
                "description": text, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}}
                for code, text in ERRORS.items()},
        },
        "paths": paths,
    }


def yaml_scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return json.dumps(v, ensure_ascii=False)  # a JSON string is valid YAML


def yaml(v, indent=0):
    pad = "  " * indent
    out = []
    if isinstance(v, dict):
        if not v:
            return pad + "{}\n"
        for k, x in v.items():
            bare = k[:1].isalpha() and k.replace("_", "").replace("-", "").isalnum()
            key = k if bare else yaml_scalar(k)
            if isinstance(x, (dict, list)) and x:
                out.append(f"{pad}{key}:\n{yaml(x, indent + 1)}")
            else:
                out.append(f"{pad}{key}: {yaml_flow(x)}\n")
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, (dict, list)) and x:
                sub = yaml(x, indent + 1)
                out.append(f"{pad}- {sub.lstrip()}")
            else:
                out.append(f"{pad}- {yaml_flow(x)}\n")
    return "".join(out)


def yaml_flow(x):
    if isinstance(x, dict):
        return "{}"
    if isinstance(x, list):
        return "[]"
    return yaml_scalar(x)


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    doc = document()
    want = {
        "docs/api/openapi.json": json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
        "docs/api/openapi.yaml": "# Generated by scripts/openapi.py: edit that, "
        "then run it.\n" + yaml(doc),
    }
    check = "--check" in sys.argv[1:]
    bad = 0
    for rel, text in want.items():
        path = os.path.join(top, rel)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    have = f.read()
            except OSError:
                have = None
            if have != text:
                print(f"openapi: {rel} is out of date: run scripts/openapi.py",
                      file=sys.stderr)
                bad = 1
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    return bad


if __name__ == "__main__":
    sys.exit(main())
