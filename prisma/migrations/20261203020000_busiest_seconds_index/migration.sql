-- The reconnects view's storm chart reads the busiest seconds of its window. Over 7 days
-- at 10M events that read sorted 540k per-second rows (180 ms); a long window is now
-- answered first from the busiest seconds ever stored, read in this index's order.

-- CreateIndex
CREATE INDEX "reconnect_close_second_count_bucket_idx" ON "reconnect_close_second"("count", "bucket");
