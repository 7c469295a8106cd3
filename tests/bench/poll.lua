-- SPDX-License-Identifier: MIT
-- wrk script: a phone or wall display polling the schedule once a second with
-- its ETag (If-None-Match), as web/js does; most answers are 304.
-- usage: wrk -s poll.lua URL -- ETAG [DELAY_MS]
local etag, pause = nil, 1000

function init(args)
    etag = args[1]
    pause = tonumber(args[2] or "1000")
end

function request()
    return wrk.format("GET", nil, {["If-None-Match"] = etag})
end

function delay()
    return pause
end
