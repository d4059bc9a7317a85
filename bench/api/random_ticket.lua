-- random_ticket.lua - wrk: GET one ticket, a different one each time.
math.randomseed(42)
request = function()
	return wrk.format(nil, "/api/tickets/" .. math.random(1001, 101000))
end
