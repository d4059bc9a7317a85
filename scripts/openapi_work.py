"""openapi_work.py - the routes of the console's daily work in the API
contract (scripts/openapi.py imports it and calls extend(): one file of
its own keeps openapi.py short): canned replies, password reset.
"""


def extend(g):
    s, i, body, NAME = g["s"], g["i"], g["body"], g["NAME"]
    K, P, A = g["K"], g["P"], g["A"]
    g["ACTIONS"].update({"canned.read": [K, P, A], "canned.write": [P, A]})
    g["Q"]["language"] = s(enum=["es", "en"])
    variables = ("may use {{ticket}}, {{client}}, {{deadline}}, "
                 "{{consultant}} and {{contact}} (any other variable: 400 "
                 "invalid_value, field body)")
    canned_new = body(["language", "title", "body"],
                      language=s(enum=["es", "en"]), title=s(1, 120),
                      body=s(1, 20000, desc=variables))
    canned_edit = body([], language=s(enum=["es", "en"]), title=s(1, 120),
                       body=s(1, 20000, desc=variables))
    reset_request = body(["email"], email=s(3, 254, fmt="email"))
    reset_confirm = body(["token", "password"], token=s(1, 128, desc="the "
                         "token after '#' in the mailed link"),
                         password=s(1, 256, fmt="password", desc="10 to 256 "
                                    "characters, not a common one (400 "
                                    "weak_password)"))
    # Deactivate, never delete, what is referenced (issue 19).
    active = dict(g["BOOL"], description="false: deactivated (kept, "
                  "referenced; a contact's or client's mail goes to review)")
    for edit in ("CLIENT_EDIT", "CONTACT_EDIT", "PRODUCT_EDIT"):
        g[edit]["properties"]["active"] = active
    po_edit = body([], note=s(0, 2000, nullable=True), active=active)
    g["ROUTES"].extend([
        ("patch", "/api/purchase-orders/{id}", "contract.write", po_edit,
         False, [], 200, "Object",
         "Edit a purchase order's note, or deactivate it (audited)"),
        ("post", "/api/password-reset", "public", reset_request, False, [],
         202, "Object",
         "Forgot the password: a one-time link is mailed to the address if "
         "it is an active account's (the answer is the same either way)"),
        ("post", "/api/password-reset/confirm", "public", reset_confirm,
         False, [], 204, None,
         "Set a new password with a mailed link's token (once, within the "
         "hour; ends the account's sessions)"),
        ("post", "/api/users/{id}/password-reset", "user.write", None, False,
         [], 202, "Object",
         "Mail the account a one-time link to set a new password (audited)"),
        ("get", "/api/tickets/{number}/canned-replies", "canned.read", None,
         False, [], 200, "Object",
         "Canned replies in the client's language, filled from the ticket"),
        ("get", "/api/canned-replies", "canned.read", None, False,
         ["language"], 200, "Object", "Canned replies (of one language)"),
        ("post", "/api/canned-replies", "canned.write", canned_new, False,
         [], 201, "Object", "Add a canned reply (admin, PM; audited)"),
        ("patch", "/api/canned-replies/{id}", "canned.write", canned_edit,
         False, [], 200, "Object",
         "Edit a canned reply (admin, PM; audited)"),
        ("delete", "/api/canned-replies/{id}", "canned.write", None, False,
         [], 204, None, "Remove a canned reply (admin, PM; audited)"),
    ])
