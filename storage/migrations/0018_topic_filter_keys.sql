-- A topic filter was keyed by its folded name, which reads a doubled letter or digit as one: #جام_جهانی_۲۰۲۲ and
-- #جام_جهانی_۲۰۰۲ shared a key, so ticking one unticked the other and each matched the other's stories. A topic
-- filter is keyed by the topic's own name from now on (two rows of one reader cannot share a name: they shared
-- the folded key already).
UPDATE subscription_filters SET key = value WHERE kind = 'topic';
