-- Paces wrk: every connection waits 10 ms between its requests, so 12 connections offer
-- about 1,000 requests/s once the service time is added (a fixed offered rate, not wrk's
-- default flood). Latency is measured per request, without the pause.
function delay()
  return 10
end
