(module
 (type $i32_i32_=>_i32 (func (param i32 i32) (result i32)))
 (type $i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_i32_=>_i32 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
 (type $i32_i32_i32_=>_i32 (func (param i32 i32 i32) (result i32)))
 (import "env" "memory" (memory $0 1))
 (import "env" "__indirect_function_table" (table $t 0 funcref))
 (export "f0" (func $f0))
 (func $x (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32) (param $10 i32) (param $11 i32) (param $12 i32) (param $13 i32) (param $14 i32) (param $15 i32) (param $16 i32) (param $17 i32) (param $18 i32) (param $19 i32) (param $20 i32) (param $21 i32) (result i32)
  (local.set $15
   (i32.add
    (local.get $15)
    (i32.and
     (i32.shr_u
      (local.get $21)
      (i32.const 11)
     )
     (i32.const 1023)
    )
   )
  )
  (local.set $14
   (i32.add
    (local.get $14)
    (i32.and
     (i32.shr_u
      (local.get $21)
      (i32.const 21)
     )
     (i32.const 31)
    )
   )
  )
  (local.set $16
   (i32.add
    (local.get $16)
    (i32.and
     (i32.shr_u
      (local.get $21)
      (i32.const 26)
     )
     (i32.const 63)
    )
   )
  )
  (local.set $21
   (i32.and
    (local.get $21)
    (i32.const 2047)
   )
  )
  (i32.store16
   (local.get $0)
   (i32.or
    (i32.shl
     (local.get $2)
     (i32.const 8)
    )
    (local.get $3)
   )
  )
  (i32.store16 offset=2
   (local.get $0)
   (i32.or
    (i32.shl
     (local.get $4)
     (i32.const 8)
    )
    (local.get $5)
   )
  )
  (i32.store16 offset=4
   (local.get $0)
   (i32.or
    (i32.shl
     (local.get $6)
     (i32.const 8)
    )
    (local.get $7)
   )
  )
  (i32.store16 offset=6
   (local.get $0)
   (i32.or
    (i32.shl
     (local.get $8)
     (i32.const 8)
    )
    (local.get $9)
   )
  )
  (i32.store16 offset=16
   (local.get $0)
   (local.get $10)
  )
  (i32.store16 offset=18
   (local.get $0)
   (local.get $11)
  )
  (i32.store16 offset=20
   (local.get $0)
   (local.get $12)
  )
  (i32.store16 offset=24
   (local.get $0)
   (local.get $13)
  )
  (i32.store8 offset=27
   (local.get $0)
   (i32.or
    (i32.and
     (local.get $14)
     (i32.const 127)
    )
    (i32.and
     (i32.shr_u
      (local.get $14)
      (i32.const 23)
     )
     (i32.const 128)
    )
   )
  )
  (i32.store offset=40
   (local.get $0)
   (local.get $15)
  )
  (i32.store8 offset=33
   (local.get $0)
   (local.get $17)
  )
  (i32.store16 offset=22
   (local.get $0)
   (local.get $19)
  )
  (i32.store8 offset=32
   (local.get $0)
   (i32.and
    (i32.shr_u
     (local.get $21)
     (i32.const 8)
    )
    (i32.const 1)
   )
  )
  (i32.store8 offset=36
   (local.get $0)
   (i32.and
    (i32.shr_u
     (local.get $21)
     (i32.const 9)
    )
    (i32.const 1)
   )
  )
  (i64.store offset=176
   (local.get $0)
   (i64.add
    (i64.load offset=176
     (local.get $0)
    )
    (i64.extend_i32_u
     (local.get $16)
    )
   )
  )
  (if
   (i32.eqz
    (i32.and
     (local.get $21)
     (i32.const 255)
    )
   )
   (if
    (local.tee $21
     (call_indirect (type $i32_i32_i32_=>_i32)
      (local.get $0)
      (local.get $1)
      (local.get $21)
      (i32.const 9)
     )
    )
    (return_call_indirect (type $i32_i32_=>_i32)
     (local.get $0)
     (local.get $1)
     (local.get $21)
    )
    (return
     (i32.const 0)
    )
   )
  )
  (return
   (i32.and
    (local.get $21)
    (i32.const 255)
   )
  )
 )
 (func $f0 (param $0 i32) (param $1 i32) (result i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 i32)
  (local $24 i32)
  (block $L1
   (local.set $2
    (i32.load8_u offset=1
     (local.get $0)
    )
   )
   (local.set $3
    (i32.load8_u
     (local.get $0)
    )
   )
   (local.set $4
    (i32.load8_u offset=3
     (local.get $0)
    )
   )
   (local.set $5
    (i32.load8_u offset=2
     (local.get $0)
    )
   )
   (local.set $6
    (i32.load8_u offset=5
     (local.get $0)
    )
   )
   (local.set $7
    (i32.load8_u offset=4
     (local.get $0)
    )
   )
   (local.set $8
    (i32.load8_u offset=7
     (local.get $0)
    )
   )
   (local.set $9
    (i32.load8_u offset=6
     (local.get $0)
    )
   )
   (local.set $10
    (i32.load16_u offset=16
     (local.get $0)
    )
   )
   (local.set $11
    (i32.load16_u offset=18
     (local.get $0)
    )
   )
   (local.set $12
    (i32.load16_u offset=20
     (local.get $0)
    )
   )
   (local.set $13
    (i32.load16_u offset=24
     (local.get $0)
    )
   )
   (local.set $14
    (i32.load8_u offset=27
     (local.get $0)
    )
   )
   (local.set $14
    (i32.or
     (i32.and
      (local.get $14)
      (i32.const 127)
     )
     (i32.shl
      (i32.and
       (local.get $14)
       (i32.const 128)
      )
      (i32.const 23)
     )
    )
   )
   (local.set $15
    (i32.load offset=40
     (local.get $0)
    )
   )
   (local.set $17
    (i32.load8_u offset=33
     (local.get $0)
    )
   )
   (block
    (block
     (if
      (i32.ge_u
       (local.get $15)
       (local.get $1)
      )
      (block
       (local.set $19
        (i32.const 32768)
       )
       (local.set $21
        (i32.const 1)
       )
       (br $L1)
      )
     )
     (local.set $4
      (i32.const 10)
     )
     (local.set $15
      (i32.add
       (local.get $15)
       (i32.const 7)
      )
     )
     (local.set $14
      (i32.add
       (local.get $14)
       (i32.const 1)
      )
     )
     (local.set $16
      (i32.add
       (local.get $16)
       (i32.const 1)
      )
     )
    )
    (block
     (local.set $17
      (i32.const 0)
     )
     (loop $L6
      (block
       (if
        (i32.ge_u
         (i32.add
          (local.get $15)
          (i32.const 4)
         )
         (local.get $1)
        )
        (block
         (local.set $19
          (i32.const 32770)
         )
         (local.set $21
          (i32.const 1)
         )
         (br $L1)
        )
       )
       (local.set $22
        (local.get $4)
       )
       (local.set $23
        (i32.and
         (i32.sub
          (local.get $22)
          (i32.const 1)
         )
         (i32.const 255)
        )
       )
       (local.set $3
        (i32.or
         (i32.and
          (local.get $3)
          (i32.const 1)
         )
         (i32.and
          (i32.or
           (i32.or
            (i32.or
             (i32.load8_u offset=262144
              (local.get $23)
             )
             (i32.shl
              (i32.eq
               (local.get $23)
               (i32.const 127)
              )
              (i32.const 2)
             )
            )
            (i32.shl
             (i32.eqz
              (i32.and
               (local.get $22)
               (i32.const 15)
              )
             )
             (i32.const 4)
            )
           )
           (i32.const 2)
          )
          (i32.const 254)
         )
        )
       )
       (local.set $4
        (local.get $23)
       )
       (local.set $15
        (i32.add
         (local.get $15)
         (i32.const 8)
        )
       )
       (local.set $14
        (i32.add
         (local.get $14)
         (i32.const 2)
        )
       )
       (local.set $16
        (i32.add
         (local.get $16)
         (i32.const 2)
        )
       )
      )
      (if
       (i32.eqz
        (i32.and
         (local.get $3)
         (i32.const 64)
        )
       )
       (block
        (block
         (local.set $13
          (i32.const 32770)
         )
         (local.set $15
          (i32.add
           (local.get $15)
           (i32.const 8)
          )
         )
         (local.set $17
          (i32.const 0)
         )
        )
        (br $L6)
       )
       (block
        (block
         (local.set $15
          (i32.add
           (local.get $15)
           (i32.const 3)
          )
         )
         (local.set $17
          (i32.const 0)
         )
        )
        (block
         (if
          (i32.ge_u
           (local.get $15)
           (local.get $1)
          )
          (block
           (local.set $19
            (i32.const 32773)
           )
           (local.set $21
            (i32.const 1)
           )
           (br $L1)
          )
         )
         (local.set $15
          (i32.add
           (local.get $15)
           (i32.const 4)
          )
         )
         (local.set $14
          (i32.add
           (local.get $14)
           (i32.const 1)
          )
         )
         (local.set $16
          (i32.add
           (local.get $16)
           (i32.const 1)
          )
         )
         (block
          (local.set $22
           (i32.load8_u offset=65536
            (local.get $12)
           )
          )
          (local.set $12
           (i32.and
            (i32.add
             (local.get $12)
             (i32.const 1)
            )
            (i32.const 65535)
           )
          )
          (local.set $23
           (i32.load8_u offset=65536
            (local.get $12)
           )
          )
          (local.set $12
           (i32.and
            (i32.add
             (local.get $12)
             (i32.const 1)
            )
            (i32.const 65535)
           )
          )
          (local.set $24
           (i32.or
            (local.get $22)
            (i32.shl
             (local.get $23)
             (i32.const 8)
            )
           )
          )
          (local.set $19
           (local.get $24)
          )
          (local.set $13
           (local.get $24)
          )
          (local.set $15
           (i32.add
            (local.get $15)
            (i32.const 6)
           )
          )
          (local.set $17
           (i32.const 0)
          )
          (local.set $21
           (i32.const 0)
          )
          (br $L1)
         )
        )
       )
      )
     )
    )
   )
   (unreachable)
  )
  (return_call $x
   (local.get $0)
   (local.get $1)
   (local.get $2)
   (local.get $3)
   (local.get $4)
   (local.get $5)
   (local.get $6)
   (local.get $7)
   (local.get $8)
   (local.get $9)
   (local.get $10)
   (local.get $11)
   (local.get $12)
   (local.get $13)
   (local.get $14)
   (local.get $15)
   (local.get $16)
   (local.get $17)
   (local.get $18)
   (local.get $19)
   (local.get $20)
   (local.get $21)
  )
 )
)
