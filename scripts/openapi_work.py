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
    g["ROUTES"].extend([
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
