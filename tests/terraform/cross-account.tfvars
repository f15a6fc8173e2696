# Ask for the customer managed key: the cross-account pipeline then has one.
use_customer_key = true
